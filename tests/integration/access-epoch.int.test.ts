import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken, revokeApiToken, touchApiToken } from "@/db/queries/api-tokens";
import { createArticle, recordVisit, touchArticles } from "@/db/queries/articles";
import { readAccessEpoch } from "@/db/queries/connection-access";
import { removeMember } from "@/db/queries/members";
import { signOutEverywhere } from "@/db/queries/users";
import { articleGuests, articles, memberships, users } from "@/db/schema";
import { createDesk, createUser, setRole, type TestDesk } from "../support/api";
import { useTestApp } from "../support/test-database";

const app = useTestApp();
const DAY = 86_400_000;
let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "Epoch Desk");
});

/** Whether `change` moved the access epoch. */
async function moves(change: () => Promise<unknown>): Promise<boolean> {
  const before = await readAccessEpoch(app.db);
  expect(before).not.toBeNull();
  await change();
  return (await readAccessEpoch(app.db)) !== before;
}

const newArticle = (title: string) =>
  createArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.owner.id, article: { title, content: { type: "doc", content: [{ type: "paragraph" }] } } });

describe("the access epoch", () => {
  it("moves with every change to who may open which article", async () => {
    const user = await createUser(app, { name: "Epoch Member" });
    expect(await moves(() => setRole(app.db, { teamId: desk.team.id, userId: user.id, role: "checker" }))).toBe(true);
    expect(await moves(() => setRole(app.db, { teamId: desk.team.id, userId: user.id, role: "viewer" }))).toBe(true);
    expect(await moves(() => removeMember(app.db, { teamId: desk.team.id, userId: user.id, actorId: desk.users.owner.id }))).toBe(true);

    const article = await newArticle("Epoch article");
    const grant = and(eq(articleGuests.articleId, article.id), eq(articleGuests.userId, user.id));
    expect(await moves(() => app.db.insert(articleGuests).values({ articleId: article.id, userId: user.id, teamId: desk.team.id, role: "viewer", expiresAt: new Date(Date.now() + DAY) }))).toBe(true);
    expect(await moves(() => app.db.update(articleGuests).set({ expiresAt: new Date(Date.now() + 2 * DAY) }).where(grant))).toBe(true);
    expect(await moves(() => app.db.delete(articleGuests).where(grant))).toBe(true);

    const { token } = await createApiToken(app.db, { userId: user.id, name: "epoch", scopes: ["read"], expiresAt: new Date(Date.now() + DAY) });
    expect(await moves(() => revokeApiToken(app.db, { userId: user.id, id: token.id }))).toBe(true);
    expect(await moves(() => signOutEverywhere(app.db, { userId: user.id }))).toBe(true);
    expect(await moves(() => app.db.delete(articles).where(eq(articles.id, article.id)))).toBe(true);
    expect(await moves(() => app.db.delete(users).where(eq(users.id, user.id)))).toBe(true);
  });

  it("stays put for everyday writes that change nobody's access, and for changes rolled back", async () => {
    const user = await createUser(app, { name: "Epoch Bystander" });
    const article = await newArticle("Busy article");
    const { token } = await createApiToken(app.db, { userId: user.id, name: "busy", scopes: ["read"], expiresAt: new Date(Date.now() + DAY) });
    expect(await moves(() => touchArticles(app.db, { articleIds: [article.id] }))).toBe(false);
    expect(await moves(() => recordVisit(app.db, { articleId: article.id, userId: desk.users.editor.id }))).toBe(false);
    expect(await moves(() => touchApiToken(app.db, { token: { id: token.id, lastUsedAt: null } }))).toBe(false);
    expect(await moves(() => app.db.update(users).set({ name: "Renamed Bystander" }).where(eq(users.id, user.id)))).toBe(false);
    expect(await moves(() => createApiToken(app.db, { userId: user.id, name: "another", scopes: ["read"], expiresAt: new Date(Date.now() + DAY) }))).toBe(false);

    const rollback = new Error("rolled back on purpose");
    expect(
      await moves(() =>
        app.db
          .transaction(async (tx) => {
            await tx.insert(memberships).values({ teamId: desk.team.id, userId: user.id, role: "editor" });
            throw rollback;
          })
          .catch((error: unknown) => expect(error).toBe(rollback)),
      ),
    ).toBe(false);
  });
});
