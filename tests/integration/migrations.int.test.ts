import { readFile } from "node:fs/promises";
import path from "node:path";
import { asc, eq, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import * as schema from "@/db/schema";
import { articles, memberships, teams, users } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_TEAM, DEMO_USERS, seedDemoDesk } from "@/db/seed/demo-desk";
import { verifyCredentials } from "@/lib/auth/credentials";
import { docToPlainText } from "@/model/editor-extensions";
import { ROLES } from "@/model/roles";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// Every table the drizzle schema declares; the migrations must create exactly these.
const EXPECTED_TABLES = Object.values(schema)
  .filter((value) => is(value, PgTable))
  .map((table) => getTableName(table as PgTable))
  .sort();

async function publicTables(db: Database): Promise<string[]> {
  const rows = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function appliedMigrations(db: Database): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return row?.n ?? -1;
}

describe("migrations", () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it("apply on an empty database, and running them again changes nothing", async () => {
    expect(EXPECTED_TABLES).toEqual(expect.arrayContaining(["users", "teams", "memberships", "invites", "articles", "audit_events"]));
    expect(await publicTables(fresh.db)).toEqual([]);
    await runMigrations(fresh.db);
    expect(await publicTables(fresh.db)).toEqual(EXPECTED_TABLES);
    const journal = JSON.parse(await readFile(path.resolve("db/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    expect(await appliedMigrations(fresh.db)).toBe(journal.entries.length);

    await fresh.db.insert(users).values({ email: "keep@example.test", name: "Kept" });
    await runMigrations(fresh.db);
    await runMigrations(fresh.db);
    expect(await appliedMigrations(fresh.db)).toBe(journal.entries.length);
    expect(await publicTables(fresh.db)).toEqual(EXPECTED_TABLES);
    expect(await fresh.db.$count(users, eq(users.email, "keep@example.test"))).toBe(1);
  });

  it("create the constraints the app relies on", async () => {
    // Unique email, unique desk slug, the role enum, cascade from desk to memberships.
    const [user] = await fresh.db.insert(users).values({ email: "once@example.test", name: "Once" }).returning();
    await expect(fresh.db.insert(users).values({ email: "once@example.test", name: "Twin" })).rejects.toThrow();
    const [team] = await fresh.db.insert(teams).values({ slug: "x-desk", name: "X" }).returning();
    await expect(fresh.db.insert(teams).values({ slug: "x-desk", name: "Y" })).rejects.toThrow();
    await expect(
      fresh.db.execute(sql`insert into memberships (team_id, user_id, role) values (${team!.id}, ${user!.id}, 'admin')`),
    ).rejects.toThrow();
    await fresh.db.insert(memberships).values({ teamId: team!.id, userId: user!.id, role: "editor" });
    await fresh.db.delete(teams).where(eq(teams.id, team!.id));
    expect(await fresh.db.$count(memberships, eq(memberships.userId, user!.id))).toBe(0);
    // gen_random_uuid() defaults work on both PostgreSQL 15 and PGlite.
    expect(user!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("the demo desk seed", () => {
  let seeded: TestDatabase;
  beforeAll(async () => {
    seeded = await createTestDatabase();
  });
  afterAll(async () => {
    await seeded?.drop();
  });

  it("creates Demo Desk with one member per role and the demo article, word for word", async () => {
    expect(await seedDemoDesk(seeded.db)).toBe(true);
    const db = seeded.db;
    const [team] = await db.select().from(teams).where(eq(teams.slug, DEMO_TEAM.slug));
    expect(team?.name).toBe("Demo Desk");

    const members = await db
      .select({ role: memberships.role, email: users.email, hash: users.passwordHash })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.teamId, team!.id))
      .orderBy(asc(memberships.role));
    expect(members.map((m) => m.role)).toEqual([...ROLES]);
    expect(new Set(members.map((m) => m.email))).toEqual(new Set(DEMO_USERS.map((u) => u.email)));
    for (const m of members) {
      expect(m.hash).toMatch(/^\$argon2id\$/);
      expect(m.hash).not.toContain(DEMO_PASSWORD);
    }
    // The documented demo sign-in works.
    const owner = await verifyCredentials(db, { email: "owner@demo.factdesk.test", password: DEMO_PASSWORD, ip: "seed-test" });
    expect(owner?.name).toBe(DEMO_USERS.find((u) => u.role === "owner")?.name);

    const file = await readFile(path.resolve("db/seed/demo-article.txt"), "utf8");
    // The seed file is the shared demo article, unchanged (compared when the shared folder sits beside the repository).
    const shared = await readFile(path.resolve("../shared/demo/article.txt"), "utf8").catch(() => undefined);
    if (shared !== undefined) expect(file).toBe(shared);
    const [titleLine, ...rest] = file.split("\n");
    const paragraphs = rest.filter((line) => line.trim().length > 0);
    expect(paragraphs.length).toBeGreaterThan(10);

    const stored = await db.select().from(articles).where(eq(articles.teamId, team!.id));
    expect(stored).toHaveLength(1);
    const article = stored[0]!;
    expect(article.title).toBe(titleLine!.trim());
    expect(article.createdBy).toBe((await db.select().from(users).where(eq(users.email, "owner@demo.factdesk.test")))[0]?.id);
    const text = docToPlainText(article.content);
    expect(text.split("\n\n")).toEqual(paragraphs);
    expect(text).not.toContain(titleLine!.trim());
  });

  it("seeding again does nothing", async () => {
    const count = async () => ({
      teams: await seeded.db.$count(teams),
      users: await seeded.db.$count(users),
      memberships: await seeded.db.$count(memberships),
      articles: await seeded.db.$count(articles),
    });
    const before = await count();
    expect(before).toEqual({ teams: 1, users: 5, memberships: 5, articles: 1 });
    expect(await seedDemoDesk(seeded.db)).toBe(false);
    expect(await count()).toEqual(before);
  });
});
