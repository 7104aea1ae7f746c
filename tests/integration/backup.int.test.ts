import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { createArticle } from "@/db/queries/articles";
import { articles, teams } from "@/db/schema";
import { createDesk } from "../support/api";
import { createTestDatabase, testDbKind, type TestApp, type TestDatabase } from "../support/test-database";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run backup`/`restore` as a user would (the same node + tsx command), never throwing. */
async function cli(script: "backup" | "restore", args: string[], env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, DATA_DIR: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", `scripts/${script}.ts`, ...args], {
      cwd: root,
      env: childEnv,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every row of every table in the public schema and the migrations journal, in a stable order. */
async function snapshot(db: Database): Promise<Record<string, unknown[]>> {
  const tables = await db.execute<{ schema: string; name: string }>(sql`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_schema IN ('public', 'drizzle') AND table_type = 'BASE TABLE' ORDER BY 1, 2`);
  const out: Record<string, unknown[]> = {};
  for (const { schema, name } of tables) {
    const rows = await db.execute<{ row: string }>(
      sql`SELECT to_jsonb(t)::text AS row FROM ${sql.identifier(schema)}.${sql.identifier(name)} t ORDER BY 1`,
    );
    out[`${schema}.${name}`] = rows.map((r) => JSON.parse(r.row));
  }
  return out;
}

/** A desk with members and one article, made the way the app makes them. */
async function fillDesk(db: Database): Promise<{ teamId: string; articleId: string }> {
  const app = { db, secret: "backup-test-secret", url: "", embedded: false } satisfies TestApp;
  const desk = await createDesk(app, "Backup Desk");
  const article = await createArticle(db, {
    teamId: desk.team.id,
    createdBy: desk.users.owner.id,
    article: {
      title: "Claims about the budget",
      content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Spending rose 4%." }] }] },
    },
  });
  return { teamId: desk.team.id, articleId: article.id };
}

/** Deletes the article, renames the desk and adds another desk, so a restore has work to undo. */
async function changeData(db: Database, ids: { teamId: string; articleId: string }): Promise<void> {
  await db.delete(articles).where(eq(articles.id, ids.articleId));
  await db.update(teams).set({ name: "Renamed after the backup" }).where(eq(teams.id, ids.teamId));
  await fillDesk(db);
}

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "factdesk-backup-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

if (testDbKind() === "embedded") {
  describe("backup and restore of the embedded database", () => {
    let dataDir: string;
    let server: EmbeddedPostgres | undefined;
    let handle: ReturnType<typeof openDatabase> | undefined;

    async function open(): Promise<Database> {
      server = await startEmbeddedPostgres({ dataDir });
      handle = openDatabase(server.url, { embedded: true });
      return handle.db;
    }
    async function shut(): Promise<void> {
      await handle?.close();
      await server?.stop();
      handle = undefined;
      server = undefined;
    }

    beforeAll(async () => {
      dataDir = path.join(workDir, "data");
    });
    afterAll(shut);

    it("refuses to run without a file to restore, and on a missing database", async () => {
      const restore = await cli("restore", [], { DATA_DIR: dataDir });
      expect(restore.code).not.toBe(0);
      expect(restore.stderr).toContain("usage: npm run restore -- <file>");

      const backup = await cli("backup", [path.join(workDir, "none.tar.gz")], { DATA_DIR: dataDir });
      expect(backup.code).not.toBe(0);
      expect(backup.stderr).toContain("There is no embedded database");
    }, 60_000);

    it("restores exactly the data that was backed up", async () => {
      let db = await open();
      await runMigrations(db);
      const ids = await fillDesk(db);
      const before = await snapshot(db);
      expect(before["public.articles"]).toHaveLength(1);

      // The running app holds the folder's lock: backup refuses clearly instead of copying live files.
      const file = path.join(workDir, "embedded.tar.gz");
      const whileRunning = await cli("backup", [file], { DATA_DIR: dataDir });
      expect(whileRunning.code).not.toBe(0);
      expect(whileRunning.stderr).toContain("is open in a running Factdesk");

      await shut();
      const backup = await cli("backup", [file], { DATA_DIR: dataDir });
      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`to ${file}`);
      expect((await stat(file)).size).toBeGreaterThan(0);

      db = await open();
      await changeData(db, ids);
      expect(await snapshot(db)).not.toEqual(before);

      // Restore, like backup, refuses while the app runs.
      const restoreWhileRunning = await cli("restore", [file], { DATA_DIR: dataDir });
      expect(restoreWhileRunning.code).not.toBe(0);
      expect(restoreWhileRunning.stderr).toContain("is open in a running Factdesk");
      await shut();

      // A file of the wrong kind is refused before anything is touched.
      const wrongKind = await cli("restore", [path.join(root, "package.json")], { DATA_DIR: dataDir });
      expect(wrongKind.code).not.toBe(0);
      expect(wrongKind.stderr).toContain("is not an embedded database dump");

      const restore = await cli("restore", [file], { DATA_DIR: dataDir });
      expect(restore.stderr).toBe("");
      expect(restore.code).toBe(0);
      expect(restore.stdout).toContain(`Restored the embedded database in ${dataDir} from ${file}`);

      db = await open();
      expect(await snapshot(db)).toEqual(before);
      await shut();
      // Six child processes and four database starts: generous, since the machine may be busy.
    }, 180_000);
  });
} else {
  describe("backup and restore of a PostgreSQL database (pg_dump)", () => {
    let testDb: TestDatabase;
    let handle: ReturnType<typeof openDatabase> | undefined;

    beforeAll(async () => {
      testDb = await createTestDatabase();
    });
    afterAll(async () => {
      await handle?.close();
      await testDb.drop();
    });

    it("restores exactly the data that was backed up", async () => {
      const ids = await fillDesk(testDb.db);
      const before = await snapshot(testDb.db);
      expect(before["public.articles"]).toHaveLength(1);

      // pg_dump reads one consistent snapshot, so the backup runs while connections are open.
      const file = path.join(workDir, "pg.dump");
      const backup = await cli("backup", [file], { DATABASE_URL: testDb.url });
      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`to ${file}`);

      await changeData(testDb.db, ids);
      expect(await snapshot(testDb.db)).not.toEqual(before);
      await testDb.close();

      const wrongKind = await cli("restore", [path.join(root, "package.json")], { DATABASE_URL: testDb.url });
      expect(wrongKind.code).not.toBe(0);
      expect(wrongKind.stderr).toContain("is not a pg_dump custom-format file");

      const restore = await cli("restore", [file], { DATABASE_URL: testDb.url });
      expect(restore.stderr).toBe("");
      expect(restore.code).toBe(0);
      expect(restore.stdout).toContain(`from ${file}`);

      handle = openDatabase(testDb.url, { max: 1 });
      expect(await snapshot(handle.db)).toEqual(before);
    }, 120_000);
  });
}
