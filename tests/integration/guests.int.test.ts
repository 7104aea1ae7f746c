import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getClaims } from "@/app/api/articles/[id]/claims/route";
import { POST as postTicket } from "@/app/api/articles/[id]/collab-ticket/route";
import { DELETE as revokeGuestLinkRoute } from "@/app/api/articles/[id]/guest-invites/[inviteId]/route";
import { DELETE as revokeGuestRoute } from "@/app/api/articles/[id]/guests/[userId]/route";
import { GET as listGuestsRoute, POST as inviteGuestRoute } from "@/app/api/articles/[id]/guests/route";
import { POST as createRevisionRoute } from "@/app/api/articles/[id]/revisions/route";
import { GET as getArticle } from "@/app/api/articles/[id]/route";
import { POST as acceptGuestLinkRoute } from "@/app/api/guest-invites/[token]/accept/route";
import { GET as previewGuestLink } from "@/app/api/guest-invites/[token]/route";
import { GET as listArticlesRoute } from "@/app/api/teams/[team]/articles/route";
import { GET as getAudit } from "@/app/api/teams/[team]/audit/route";
import { POST as createInviteRoute } from "@/app/api/teams/[team]/invites/route";
import { GET as listMembersRoute } from "@/app/api/teams/[team]/members/route";
import { GET as getTeam } from "@/app/api/teams/[team]/route";
import { GET as getSettings } from "@/app/api/teams/[team]/settings/route";
import { connectionKey, findConnectionAccess, readAccessEpoch } from "@/db/queries/connection-access";
import { listArticlePeople, listSharedArticles } from "@/db/queries/guests";
import { articleGuests, auditEvents, guestInvites, users, type Article } from "@/db/schema";
import { CLOSE_CODES } from "@/model/close-codes";
import { createThread, readThread } from "@/model/review";
import { checkAccess } from "@/server/collab/access-watch";
import { call, createDesk, createUser, setRole, type TestDesk, type TestUser } from "../support/api";
import { connectClient, createTextArticle, destroyAll, eventually, startCollab, tryUpgrade, type CollabHarness, type TestClient } from "../support/collab";
import { anchorOn, COMMENT_PHRASE, SAMPLE_PARAGRAPHS } from "../support/review";
import { useTestApp } from "../support/test-database";

const app = useTestApp();
const DAY = 86_400_000;
const TEXT = SAMPLE_PARAGRAPHS.join("\n\n");

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Guest Desk");
  // Access is re-checked every 200 ms here, so revocations show within a few hundred ms.
  server = await startCollab({ db: app.db, accessCheckMs: 200 });
});

afterAll(async () => {
  await server?.close();
});

interface CreatedLink {
  id: string;
  role: string;
  token: string;
  url: string;
  expiresAt: string;
  accessExpiresAt: string;
}

const newArticle = (title: string): Promise<Article> => createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, title, text: TEXT });

async function inviteGuest(articleId: string, role: "viewer" | "commenter", accessDays = 30): Promise<CreatedLink> {
  const res = await call(inviteGuestRoute, { as: desk.users.owner, params: { id: articleId }, json: { role, accessExpiresAt: new Date(Date.now() + accessDays * DAY).toISOString() } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.invite as CreatedLink;
}

/** A new account that has taken a guest link to `articleId`. */
async function guestOf(articleId: string, role: "viewer" | "commenter", label: string): Promise<TestUser> {
  const guest = await createUser(app, { name: `Guest ${label}` });
  const link = await inviteGuest(articleId, role);
  expect((await call(acceptGuestLinkRoute, { as: guest, params: { token: link.token }, method: "POST" })).status).toBe(200);
  return guest;
}

const fetchTicket = async (as: TestUser, articleId: string): Promise<string> => {
  const res = await call(postTicket, { method: "POST", as, params: { id: articleId } });
  if (res.status !== 200) throw new Error(`ticket refused (${res.status})`);
  return res.body.ticket as string;
};

describe("a guest link", () => {
  it("makes its taker a guest of that one article, once, and of nothing else of the desk", async () => {
    const article = await newArticle("The shared article");
    const other = await newArticle("A desk-only article");
    const link = await inviteGuest(article.id, "commenter", 30);
    expect(link.url).toBe(`http://localhost:3000/guest/${link.token}`);
    expect(link.role).toBe("commenter");
    // The link outlives neither its week nor the access it grants.
    expect(new Date(link.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    const [stored] = await app.db.select().from(guestInvites).where(eq(guestInvites.id, link.id));
    expect(stored!.tokenHash).not.toContain(link.token);
    expect(stored!.tokenHash).toHaveLength(43);

    // Anyone holding the link may see what it offers, and no more.
    const preview = await call(previewGuestLink, { params: { token: link.token } });
    expect(preview.status).toBe(200);
    expect(preview.body.invite).toEqual({
      team: { name: "Guest Desk" },
      article: { title: "The shared article" },
      role: "commenter",
      expiresAt: link.expiresAt,
      accessExpiresAt: link.accessExpiresAt,
    });
    expect((await call(previewGuestLink, { params: { token: `${link.token}x` } })).status).toBe(404);

    const guest = await createUser(app, { name: "Gita Guest" });
    expect((await call(acceptGuestLinkRoute, { params: { token: link.token }, method: "POST" })).status).toBe(401);
    const accepted = await call(acceptGuestLinkRoute, { as: guest, params: { token: link.token }, method: "POST" });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({
      article: { id: article.id, title: "The shared article", teamSlug: desk.team.slug, path: `/desks/${desk.team.slug}/articles/${article.id}` },
      guest: true,
      role: "commenter",
    });
    const [grant] = await app.db.select().from(articleGuests).where(and(eq(articleGuests.articleId, article.id), eq(articleGuests.userId, guest.id)));
    expect(grant).toMatchObject({ role: "commenter", teamId: desk.team.id, invitedBy: desk.users.owner.id });
    expect(grant!.expiresAt.toISOString()).toBe(link.accessExpiresAt);

    // Single use: nobody, not even the guest, takes it twice.
    const late = await createUser(app, { name: "Late Guest" });
    expect((await call(acceptGuestLinkRoute, { as: late, params: { token: link.token }, method: "POST" })).status).toBe(404);
    expect((await call(acceptGuestLinkRoute, { as: guest, params: { token: link.token }, method: "POST" })).status).toBe(404);
    expect((await call(previewGuestLink, { params: { token: link.token } })).status).toBe(404);

    // The article, its claims and a collaboration ticket: yes, with the guest's role.
    const seen = await call(getArticle, { as: guest, params: { id: article.id } });
    expect(seen.status).toBe(200);
    expect(seen.body.article).toMatchObject({ id: article.id, role: "commenter" });
    expect((await call(getClaims, { as: guest, params: { id: article.id } })).status).toBe(200);
    const ticket = await call(postTicket, { method: "POST", as: guest, params: { id: article.id } });
    expect(ticket.status).toBe(200);
    expect(ticket.body.role).toBe("commenter");
    expect((await call(getArticle, { as: late, params: { id: article.id } })).status).toBe(404);

    // Everything else of the desk answers as if it did not exist.
    const team = { team: desk.team.slug };
    expect((await call(getTeam, { as: guest, params: team })).status).toBe(404);
    expect((await call(listMembersRoute, { as: guest, params: team })).status).toBe(404);
    expect((await call(listArticlesRoute, { as: guest, params: team })).status).toBe(404);
    expect((await call(getSettings, { as: guest, params: team })).status).toBe(404);
    expect((await call(getAudit, { as: guest, params: team })).status).toBe(404);
    expect((await call(getArticle, { as: guest, params: { id: other.id } })).status).toBe(404);
    expect((await call(postTicket, { method: "POST", as: guest, params: { id: other.id } })).status).toBe(404);

    // And a guest manages nothing: no invites, no guests, no named versions.
    expect((await call(createInviteRoute, { as: guest, params: team, json: { role: "viewer" } })).status).toBe(404);
    expect((await call(listGuestsRoute, { as: guest, params: { id: article.id } })).status).toBe(403);
    const sneaky = await call(inviteGuestRoute, { as: guest, params: { id: article.id }, json: { role: "viewer", accessExpiresAt: new Date(Date.now() + DAY).toISOString() } });
    expect(sneaky.status).toBe(403);
    expect(sneaky.body.error.code).toBe("forbidden");
    expect((await call(createRevisionRoute, { as: guest, params: { id: article.id }, json: { label: "Mine" } })).status).toBe(403);

    // The guest's /desks page lists the article as shared with them.
    expect(await listSharedArticles(app.db, { userId: guest.id })).toEqual([
      { articleId: article.id, title: "The shared article", team: { slug: desk.team.slug, name: "Guest Desk" }, role: "commenter", expiresAt: grant!.expiresAt },
    ]);
    expect(await listSharedArticles(app.db, { userId: late.id })).toEqual([]);
  });

  it("is refused with a past, too distant or missing end date, or a role above commenter", async () => {
    const article = await newArticle("Validated");
    const attempt = (json: unknown) => call(inviteGuestRoute, { as: desk.users.owner, params: { id: article.id }, json });
    const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
    for (const body of [
      { role: "commenter", accessExpiresAt: inDays(-1) },
      { role: "commenter", accessExpiresAt: inDays(400) },
      { role: "commenter" },
      { role: "checker", accessExpiresAt: inDays(3) },
      { role: "owner", accessExpiresAt: inDays(3) },
    ]) {
      const res = await attempt(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    // The control: the same request with a valid body is accepted.
    expect((await attempt({ role: "viewer", accessExpiresAt: inDays(3) })).status).toBe(201);
    // The link lasts no longer than the access it grants.
    const short = await inviteGuest(article.id, "viewer", 2);
    expect(short.expiresAt).toBe(short.accessExpiresAt);
  });

  it("lists the guests and pending links to owners; revoked links stop working; a member taking a link stays a member", async () => {
    const article = await newArticle("Listed");
    const guest = await guestOf(article.id, "viewer", "listed viewer");
    const pending = await inviteGuest(article.id, "commenter", 10);
    const doomed = await inviteGuest(article.id, "viewer", 5);

    const listed = await call(listGuestsRoute, { as: desk.users.owner, params: { id: article.id } });
    expect(listed.status).toBe(200);
    expect(listed.body.guests).toEqual([{ userId: guest.id, name: guest.name, email: guest.email, role: "viewer", expiresAt: expect.any(String), createdAt: expect.any(String) }]);
    expect(listed.body.invites.map((i: { id: string }) => i.id).sort()).toEqual([pending.id, doomed.id].sort());
    expect(JSON.stringify(listed.body)).not.toContain(pending.token);

    const revoke = (inviteId: string) => call(revokeGuestLinkRoute, { as: desk.users.owner, method: "DELETE", params: { id: article.id, inviteId } });
    expect((await revoke(doomed.id)).status).toBe(204);
    expect((await revoke(doomed.id)).status).toBe(404);
    expect((await call(previewGuestLink, { params: { token: doomed.token } })).status).toBe(404);
    const taker = await createUser(app, { name: "Too Late" });
    expect((await call(acceptGuestLinkRoute, { as: taker, params: { token: doomed.token }, method: "POST" })).status).toBe(404);
    // A link of another article cannot be revoked through this one.
    const elsewhere = await newArticle("Elsewhere");
    expect((await call(revokeGuestLinkRoute, { as: desk.users.owner, method: "DELETE", params: { id: elsewhere.id, inviteId: pending.id } })).status).toBe(404);

    // A member of the desk who opens a guest link is sent to the article as the member they are,
    // and the link stays for the person it was meant for.
    const asMember = await call(acceptGuestLinkRoute, { as: desk.users.checker, params: { token: pending.token }, method: "POST" });
    expect(asMember.status).toBe(200);
    expect(asMember.body).toMatchObject({ guest: false, role: "checker", article: { id: article.id } });
    expect(await app.db.select().from(articleGuests).where(eq(articleGuests.userId, desk.users.checker.id))).toEqual([]);
    expect((await call(previewGuestLink, { params: { token: pending.token } })).status).toBe(200);

    const after = await call(listGuestsRoute, { as: desk.users.owner, params: { id: article.id } });
    expect(after.body.invites.map((i: { id: string }) => i.id)).toEqual([pending.id]);
  });

  it("is managed by the article's owners only", async () => {
    const article = await newArticle("Owners only");
    const body = { role: "viewer", accessExpiresAt: new Date(Date.now() + DAY).toISOString() };
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      const as = desk.users[role];
      expect((await call(listGuestsRoute, { as, params: { id: article.id } })).status, role).toBe(403);
      expect((await call(inviteGuestRoute, { as, params: { id: article.id }, json: body })).status, role).toBe(403);
    }
    const guest = await guestOf(article.id, "commenter", "owners-only");
    expect((await call(revokeGuestRoute, { as: desk.users.editor, method: "DELETE", params: { id: article.id, userId: guest.id } })).status).toBe(403);
    expect((await call(listGuestsRoute, { as: desk.outsider, params: { id: article.id } })).status).toBe(404);
    expect((await call(inviteGuestRoute, { as: desk.outsider, params: { id: article.id }, json: body })).status).toBe(404);
    expect((await call(revokeGuestRoute, { as: desk.outsider, method: "DELETE", params: { id: article.id, userId: guest.id } })).status).toBe(404);
    expect((await call(listGuestsRoute, { params: { id: article.id } })).status).toBe(401);
    // The guest is still there after all of that.
    expect((await call(getArticle, { as: guest, params: { id: article.id } })).status).toBe(200);
  });

  it("is in the desk's audit log: the link, the guest joining and the revocations, with the article's title", async () => {
    const article = await newArticle("Audited article");
    const guest = await guestOf(article.id, "commenter", "audited");
    const link = await inviteGuest(article.id, "viewer");
    expect((await call(revokeGuestLinkRoute, { as: desk.users.owner, method: "DELETE", params: { id: article.id, inviteId: link.id } })).status).toBe(204);
    expect((await call(revokeGuestRoute, { as: desk.users.owner, method: "DELETE", params: { id: article.id, userId: guest.id } })).status).toBe(204);
    expect((await call(revokeGuestRoute, { as: desk.users.owner, method: "DELETE", params: { id: article.id, userId: guest.id } })).status).toBe(404);

    const trail = (await app.db.select().from(auditEvents).where(eq(auditEvents.teamId, desk.team.id)).orderBy(asc(auditEvents.id))).filter(
      (e) => e.action.startsWith("guest.") && (e.targetId === article.id || e.targetId === guest.id),
    );
    expect(trail.map((e) => [e.action, e.actorId, e.targetType])).toEqual([
      ["guest.invite", desk.users.owner.id, "article"],
      ["guest.accept", guest.id, "article"],
      ["guest.invite", desk.users.owner.id, "article"],
      ["guest.revoke", desk.users.owner.id, "article"],
      ["guest.revoke", desk.users.owner.id, "user"],
    ]);
    expect(trail[1]!.data).toMatchObject({ role: "commenter", title: "Audited article" });
    expect(trail[3]!.data).toMatchObject({ link: true, role: "viewer" });

    const log = await call(getAudit, { as: desk.users.owner, params: { team: desk.team.slug }, query: { action: "guest.revoke" } });
    expect(log.status).toBe(200);
    const labels = log.body.events.filter((e: { targetId: string }) => e.targetId === article.id || e.targetId === guest.id).map((e: { targetLabel: string }) => e.targetLabel);
    expect(labels.sort()).toEqual(["Audited article", guest.name].sort());
  });
});

describe("a guest in the live article", () => {
  /** An article whose body room is open (so seeded), for building anchors, with the clients to clean up. */
  async function liveArticle(title: string): Promise<{ article: Article; body: TestClient; clients: TestClient[] }> {
    const article = await newArticle(title);
    const body = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "body", user: desk.users.viewer });
    return { article, body, clients: [body] };
  }

  it("comments through the review room as a commenter guest, and is refused as a viewer guest", async () => {
    const { article, body, clients } = await liveArticle("Reviewed by guests");
    try {
      const commenter = await guestOf(article.id, "commenter", "live commenter");
      const viewer = await guestOf(article.id, "viewer", "live viewer");
      const connect = (user: TestUser) => connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "review", user, mint: () => fetchTicket(user, article.id) });
      const [c, v, owner] = await Promise.all([connect(commenter), connect(viewer), connect(desk.users.owner)]);
      clients.push(c!, v!, owner!);

      const refused = createThread(v!.doc, { kind: "comment", anchor: anchorOn(body.doc, COMMENT_PHRASE), by: viewer.id, message: { body: "viewer guest", mentions: [] } });
      await eventually(() => expect(v!.denied).toHaveLength(1));
      const accepted = createThread(c!.doc, {
        kind: "comment",
        anchor: anchorOn(body.doc, COMMENT_PHRASE),
        by: commenter.id,
        message: { body: "An outside expert's note.", mentions: [] },
      });
      await eventually(() => expect(readThread(owner!.doc, accepted)).toMatchObject({ kind: "comment", createdBy: commenter.id }));
      expect(c!.denied).toEqual([]);
      expect((await checkAccess(app.db, server.collab.registry)).filter((closed) => closed.userId === commenter.id || closed.userId === viewer.id)).toEqual([]);
      expect(c!.closes).toEqual([]);
      expect(readThread(owner!.doc, refused)).toBeUndefined();
      expect(readThread(c!.doc, refused)).toBeUndefined();

      // Once stored, the commenter guest is among the article's people, with their guest role.
      await eventually(async () => expect((await listArticlePeople(app.db, { teamId: desk.team.id, articleId: article.id })).map((p) => [p.userId, p.role])).toContainEqual([commenter.id, "commenter"]), 10_000, 100);
    } finally {
      destroyAll(...clients);
    }
  });

  it("loses the connection within a few seconds when revoked, and the article with it", async () => {
    const { article, clients } = await liveArticle("Revoked guest");
    try {
      const guest = await guestOf(article.id, "commenter", "revoked");
      const ticket = await fetchTicket(guest, article.id);
      const [bodyClient, reviewClient] = await Promise.all(
        (["body", "review"] as const).map((room) => connectClient({ serverUrl: server.serverUrl, articleId: article.id, room, user: guest, mint: () => fetchTicket(guest, article.id) })),
      );
      clients.push(bodyClient!, reviewClient!);
      // A comment that goes through proves the guest's connection is accepted and kept, not closed on sight.
      const watcher = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "review", user: desk.users.owner });
      clients.push(watcher);
      const note = createThread(reviewClient!.doc, {
        kind: "comment",
        anchor: anchorOn(clients[0]!.doc, COMMENT_PHRASE),
        by: guest.id,
        message: { body: "Before the revocation.", mentions: [] },
      });
      await eventually(() => expect(readThread(watcher.doc, note)).toBeDefined());
      // An access check of its own (besides the periodic ones) keeps the guest's connections.
      expect((await checkAccess(app.db, server.collab.registry)).filter((c) => c.userId === guest.id)).toEqual([]);
      expect([...bodyClient!.closes, ...reviewClient!.closes]).toEqual([]);

      const revoked = await call(revokeGuestRoute, { as: desk.users.owner, method: "DELETE", params: { id: article.id, userId: guest.id } });
      expect(revoked.status).toBe(204);
      await eventually(() => {
        expect(bodyClient!.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: "access revoked" });
        expect(reviewClient!.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: "access revoked" });
      }, 5_000);
      expect(bodyClient!.provider.wsconnected).toBe(false);
      // The member who opened the body room first stays connected.
      expect(clients[0]!.closes).toEqual([]);

      expect((await call(getArticle, { as: guest, params: { id: article.id } })).status).toBe(404);
      expect((await call(postTicket, { method: "POST", as: guest, params: { id: article.id } })).status).toBe(404);
      // A ticket minted before the revocation no longer opens a room.
      expect(await tryUpgrade(server.serverUrl, article.id, "body", ticket)).toMatchObject({ status: 403 });
    } finally {
      destroyAll(...clients);
    }
  });

  it("loses the connection and the article when the access expires", async () => {
    const { article, clients } = await liveArticle("Expiring guest");
    try {
      const guest = await guestOf(article.id, "viewer", "expiring");
      const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "body", user: guest, mint: () => fetchTicket(guest, article.id) });
      clients.push(client);
      const { access } = await findConnectionAccess(app.db, { pairs: [{ articleId: article.id, userId: guest.id }] });
      expect(access.get(connectionKey({ articleId: article.id, userId: guest.id }))).toMatchObject({ role: "viewer", guest: true });

      await app.db
        .update(articleGuests)
        .set({ expiresAt: new Date(Date.now() - 1_000) })
        .where(and(eq(articleGuests.articleId, article.id), eq(articleGuests.userId, guest.id)));
      await eventually(() => expect(client.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: "access revoked" }), 5_000);
      expect((await call(getArticle, { as: guest, params: { id: article.id } })).status).toBe(404);
      expect(await listSharedArticles(app.db, { userId: guest.id })).toEqual([]);
    } finally {
      destroyAll(...clients);
    }
  });

  it("loses the connection when the access runs out by time, with nothing changed in the database meanwhile", async () => {
    const { article, clients } = await liveArticle("Running-out guest");
    try {
      const guest = await guestOf(article.id, "viewer", "running out");
      // Set before the guest connects: the change to the grant is behind the watcher when it first sees
      // the connection, so only the grant's end, reached by time, can close it.
      const endsAt = Date.now() + 3_000;
      await app.db
        .update(articleGuests)
        .set({ expiresAt: new Date(endsAt) })
        .where(and(eq(articleGuests.articleId, article.id), eq(articleGuests.userId, guest.id)));
      const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "body", user: guest, mint: () => fetchTicket(guest, article.id) });
      clients.push(client);
      const epoch = await readAccessEpoch(app.db);
      await eventually(() => expect(client.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: "access revoked" }), 8_000, 50);
      expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
      expect(await readAccessEpoch(app.db)).toBe(epoch);
    } finally {
      destroyAll(...clients);
    }
  });

  it("reads every open connection's access in one query: member, guest, neither, the session version and when it ends", async () => {
    const article = await newArticle("Access query");
    const guest = await guestOf(article.id, "commenter", "queried");
    const editor = await createUser(app, { name: "Signed-out Editor" });
    await setRole(app.db, { teamId: desk.team.id, userId: editor.id, role: "editor" });
    await app.db.update(users).set({ sessionVersion: 7 }).where(eq(users.id, editor.id));
    const [grant] = await app.db.select().from(articleGuests).where(and(eq(articleGuests.articleId, article.id), eq(articleGuests.userId, guest.id)));
    const { epoch, access } = await findConnectionAccess(app.db, {
      pairs: [
        { articleId: article.id, userId: editor.id },
        { articleId: article.id, userId: guest.id },
        { articleId: article.id, userId: desk.outsider.id },
      ],
    });
    const of = (userId: string) => access.get(connectionKey({ articleId: article.id, userId }));
    expect(of(editor.id)).toEqual({ role: "editor", guest: false, sessionVersion: 7, tokenLive: true, endsAt: null });
    expect(of(guest.id)).toEqual({ role: "commenter", guest: true, sessionVersion: 0, tokenLive: true, endsAt: grant!.expiresAt.getTime() });
    expect(of(desk.outsider.id)).toEqual({ role: null, guest: false, sessionVersion: 0, tokenLive: true, endsAt: null });
    expect(epoch).toBe(await readAccessEpoch(app.db));
  });
});
