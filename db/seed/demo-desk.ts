import { readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "@/lib/passwords";
import { plainTextToDoc } from "@/model/editor-extensions";
import type { Role } from "@/model/roles";
import type { Database } from "../client";
import { articles, memberships, teams, users } from "../schema";

/** The demo sign-ins; the README lists the same. */
export const DEMO_PASSWORD = "factdesk-demo";
export const DEMO_USERS: { role: Role; name: string; email: string }[] = [
  { role: "owner", name: "Olena Owner", email: "owner@demo.factdesk.test" },
  { role: "editor", name: "Eduardo Editor", email: "editor@demo.factdesk.test" },
  { role: "checker", name: "Chioma Checker", email: "checker@demo.factdesk.test" },
  { role: "commenter", name: "Camille Commenter", email: "commenter@demo.factdesk.test" },
  { role: "viewer", name: "Viktor Viewer", email: "viewer@demo.factdesk.test" },
];
export const DEMO_TEAM = { slug: "demo-desk", name: "Demo Desk" };

/** Splits the demo article file into its title line and its body, both word for word. */
export async function readDemoArticle(): Promise<{ title: string; body: string }> {
  const text = await readFile(path.resolve(process.cwd(), "db/seed/demo-article.txt"), "utf8");
  const newline = text.indexOf("\n");
  return { title: text.slice(0, newline).trim(), body: text.slice(newline + 1) };
}

/** Creates the Demo Desk with one user per role and the demo article. Does nothing if it exists. */
export async function seedDemoDesk(db: Database): Promise<boolean> {
  const existing = await db.query.teams.findFirst({ where: eq(teams.slug, DEMO_TEAM.slug) });
  if (existing) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { title, body } = await readDemoArticle();
  await db.transaction(async (tx) => {
    const [team] = await tx.insert(teams).values(DEMO_TEAM).returning();
    if (!team) throw new Error("demo desk not created");
    const created = await tx
      .insert(users)
      .values(DEMO_USERS.map(({ name, email }) => ({ name, email, passwordHash })))
      .onConflictDoNothing()
      .returning();
    const byEmail = new Map(created.map((u) => [u.email, u.id]));
    await tx.insert(memberships).values(
      DEMO_USERS.filter((u) => byEmail.has(u.email)).map((u) => ({ teamId: team.id, userId: byEmail.get(u.email)!, role: u.role })),
    );
    await tx.insert(articles).values({
      teamId: team.id,
      slug: "russia-us-pretends-to-fight-isis",
      title,
      content: plainTextToDoc(body),
      // The demo file carries no source metadata; inventing some would be a poor start for a fact-check desk.
      sourceUrl: null,
      publisher: null,
      author: null,
      publishedOn: null,
      createdBy: byEmail.get("owner@demo.factdesk.test") ?? null,
    });
  });
  return true;
}
