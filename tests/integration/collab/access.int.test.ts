import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { RoomRef } from "@/db/queries/documents";
import { changeMemberRole, removeMember } from "@/db/queries/members";
import { bodyFragment } from "@/model/article-doc";
import { CLOSE_CODES } from "@/model/close-codes";
import { createThread, encodePosition, quoteSelector, readThread, threadsMap } from "@/model/review";
import * as memberRoute from "@/app/api/teams/[team]/members/[userId]/route";
import { call, createDesk, createUser, setRole, type Handler, type TestDesk, type TestUser } from "../../support/api";
import {
  appendParagraph,
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertIntoParagraph,
  logAuthors,
  signTicket,
  startCollab,
  storedDoc,
  ticketFor,
  tryUpgrade,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Access Desk");
  // Memberships are re-checked every 200 ms here, so revocations show within a few hundred ms.
  server = await startCollab({ db: app.db, accessCheckMs: 200 });
});

afterAll(async () => {
  await server?.close();
});

async function memberWithRole(role: "editor" | "checker" | "viewer", label: string): Promise<TestUser> {
  const user = await createUser(app, { name: `Access ${label}` });
  await setRole(app.db, { teamId: desk.team.id, userId: user.id, role });
  return user;
}

describe("write rights per room", () => {
  it("refuses body edits from a viewer and a checker: nothing stored, nothing relayed, permission denied", async () => {
    const original = "The minister said unemployment fell.\n\nThe figures say otherwise.";
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const clients: TestClient[] = [];
    try {
      const connect = (user: TestUser) => connectClient({ serverUrl: server.serverUrl, articleId: article.id, user });
      const [editor, checker, viewer] = await Promise.all([connect(desk.users.editor), connect(desk.users.checker), connect(desk.users.viewer)]);
      clients.push(editor!, checker!, viewer!);
      const [e, c, v] = [editor!, checker!, viewer!];
      // A read-only client's handshake is not an attempt to write.
      expect(c.denied).toEqual([]);
      expect(v.denied).toEqual([]);

      insertIntoParagraph(c.doc, 0, 0, "CHECKER-WAS-HERE ");
      appendParagraph(v.doc, "VIEWER-WAS-HERE");
      await eventually(() => {
        expect(c.denied).toHaveLength(1);
        expect(v.denied).toHaveLength(1);
      });
      expect(c.denied[0]).toMatch(/checker/);
      expect(v.denied[0]).toMatch(/viewer/);

      // The editor's edit, made after the refusals, reaches everyone; the refused ones reach nobody.
      insertIntoParagraph(e.doc, 1, 0, "EDITOR-MARK ");
      await eventually(() => {
        expect(c.text()).toContain("EDITOR-MARK");
        expect(v.text()).toContain("EDITOR-MARK");
      });
      expect(e.text()).toBe("The minister said unemployment fell.\n\nEDITOR-MARK The figures say otherwise.");
      expect(v.text()).not.toContain("CHECKER-WAS-HERE");
      expect(c.text()).not.toContain("VIEWER-WAS-HERE");

      // Nothing of theirs was stored.
      await eventually(async () => expect(bodyText(await storedDoc(app.db, ref))).toContain("EDITOR-MARK"), 10_000, 100);
      const stored = bodyText(await storedDoc(app.db, ref));
      expect(stored).toBe(e.text());
      const authors = await logAuthors(app.db, ref);
      expect(authors).toContain(desk.users.editor.id);
      expect(authors).not.toContain(desk.users.checker.id);
      expect(authors).not.toContain(desk.users.viewer.id);

      // A client arriving later gets the editor's text only.
      const late = await connect(desk.users.owner);
      clients.push(late);
      expect(late.text()).toBe(e.text());
    } finally {
      destroyAll(...clients);
    }
  });

  it("lets a checker write to review, but not a viewer", async () => {
    const original = "The minister said unemployment fell by half.";
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
    const ref: RoomRef = { articleId: article.id, room: "review" };
    const clients: TestClient[] = [];
    try {
      const connect = (user: TestUser, room: "body" | "review" = "review") => connectClient({ serverUrl: server.serverUrl, articleId: article.id, room, user });
      const [body, editor, checker, viewer] = await Promise.all([
        connect(desk.users.checker, "body"),
        connect(desk.users.editor),
        connect(desk.users.checker),
        connect(desk.users.viewer),
      ]);
      clients.push(body!, editor!, checker!, viewer!);
      const [e, c, v] = [editor!, checker!, viewer!];

      // Anchored on "unemployment" in the body, as the editor does it.
      const paragraph = bodyFragment(body!.doc).get(0) as Y.XmlElement;
      const xmlText = paragraph.get(0) as Y.XmlText;
      const from = original.indexOf("unemployment");
      const to = from + "unemployment".length;
      const anchor = () => ({
        start: encodePosition(Y.createRelativePositionFromTypeIndex(xmlText, from)),
        end: encodePosition(Y.createRelativePositionFromTypeIndex(xmlText, to)),
        quote: quoteSelector(original, from, to),
      });
      const viewerThread = createThread(v.doc, { kind: "comment", anchor: anchor(), by: desk.users.viewer.id, message: { body: "viewer comment", mentions: [] } });
      await eventually(() => expect(v.denied).toHaveLength(1));
      const checkerThread = createThread(c.doc, {
        kind: "claim",
        anchor: anchor(),
        by: desk.users.checker.id,
        message: { body: "checker claim", mentions: [] },
        claim: { claimant: "The minister" },
      });

      await eventually(() => {
        expect(readThread(e.doc, checkerThread)).toBeDefined();
        expect(readThread(v.doc, checkerThread)).toBeDefined();
      });
      expect(c.denied).toEqual([]);
      expect(c.closes).toEqual([]);
      expect(threadsMap(e.doc).has(viewerThread)).toBe(false);
      expect(threadsMap(c.doc).has(viewerThread)).toBe(false);
      expect(readThread(e.doc, checkerThread)).toMatchObject({ kind: "claim", createdBy: desk.users.checker.id, claim: { claimant: "The minister" } });

      await eventually(async () => expect(threadsMap(await storedDoc(app.db, ref)).has(checkerThread)).toBe(true), 10_000, 100);
      expect([...threadsMap(await storedDoc(app.db, ref)).keys()]).toEqual([checkerThread]);
      const authors = await logAuthors(app.db, ref);
      expect(authors).toContain(desk.users.checker.id);
      expect(authors).not.toContain(desk.users.viewer.id);
    } finally {
      destroyAll(...clients);
    }
  });
});

describe("the upgrade", () => {
  it("refuses forged, expired, missing and other articles' tickets, outsiders and removed members", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Guarded." });
    const other = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Elsewhere." });
    const editor = desk.users.editor;
    const upgrade = (ticket?: string, room = "body", articleId = article.id) => tryUpgrade(server.serverUrl, articleId, room, ticket);

    // The control: a valid ticket opens the room.
    expect((await upgrade(await ticketFor(editor, article.id, "editor"))).status).toBe("open");
    expect((await upgrade(await ticketFor(desk.users.viewer, article.id), "review")).status).toBe("open");

    const inAMinute = new Date(Date.now() + 60_000);
    const forged = await signTicket({ user: editor, articleId: article.id, secret: randomBytes(32).toString("base64url"), expiresAt: inAMinute });
    expect(await upgrade(forged)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });

    const expired = await signTicket({ user: editor, articleId: article.id, secret: app.secret, expiresAt: new Date(Date.now() - 5_000) });
    expect(await upgrade(expired)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    // The same claims with a future expiry are accepted, so it is the expiry that was refused.
    const fresh = await signTicket({ user: editor, articleId: article.id, secret: app.secret, expiresAt: inAMinute });
    expect((await upgrade(fresh)).status).toBe("open");

    expect(await upgrade(undefined)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await upgrade("")).toMatchObject({ status: 401 });
    expect(await upgrade("not-a-jwt")).toMatchObject({ status: 401 });

    const otherArticlesTicket = await ticketFor(editor, other.id, "editor");
    expect(await upgrade(otherArticlesTicket)).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect((await upgrade(otherArticlesTicket, "body", other.id)).status).toBe("open");

    expect(await upgrade(await ticketFor(desk.outsider, article.id, "editor"))).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });

    const leaving = await memberWithRole("editor", "leaving editor");
    const leavingTicket = await ticketFor(leaving, article.id, "editor");
    expect((await upgrade(leavingTicket)).status).toBe("open");
    await removeMember(app.db, { teamId: desk.team.id, userId: leaving.id, actorId: desk.users.owner.id });
    expect(await upgrade(leavingTicket)).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });

    expect(await upgrade(await ticketFor(editor, article.id, "editor"), "summary-of-nothing")).toMatchObject({ status: 404 });
  });
});

describe("revocation", () => {
  it("closes a removed member's connections with 4403 and a changed role's with 4409, and nobody else's", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Watched." });
    const removed = await memberWithRole("checker", "removed checker");
    const promoted = await memberWithRole("viewer", "promoted viewer");
    const clients: TestClient[] = [];
    try {
      const connect = (user: TestUser, room: "body" | "review" = "body") => connectClient({ serverUrl: server.serverUrl, articleId: article.id, room, user });
      const [bystander, removedBody, removedReview, promotedBody] = await Promise.all([
        connect(desk.users.editor),
        connect(removed),
        connect(removed, "review"),
        connect(promoted),
      ]);
      clients.push(bystander!, removedBody!, removedReview!, promotedBody!);
      const [b, rb, rr, p] = [bystander!, removedBody!, removedReview!, promotedBody!];

      await removeMember(app.db, { teamId: desk.team.id, userId: removed.id, actorId: desk.users.owner.id });
      await eventually(() => {
        expect(rb.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: expect.any(String) });
        expect(rr.closes).toContainEqual({ code: CLOSE_CODES.forbidden, reason: expect.any(String) });
      }, 5_000);
      expect(rb.provider.wsconnected).toBe(false);

      // A viewer who is made an editor is told to reconnect, and then writes with the new rights.
      await changeMemberRole(app.db, { teamId: desk.team.id, userId: promoted.id, role: "editor", actorId: desk.users.owner.id });
      await eventually(() => expect(p.closes).toContainEqual({ code: CLOSE_CODES.accessChanged, reason: expect.any(String) }), 5_000);
      expect(p.closes.map((c) => c.code)).toEqual([CLOSE_CODES.accessChanged]);

      // y-websocket stops on 44xx by default; the app reconnects with a fresh ticket, and so do we.
      p.provider.params = { ticket: await ticketFor(promoted, article.id, "editor") };
      p.provider.connect();
      await eventually(() => expect(p.provider.synced).toBe(true));
      insertIntoParagraph(p.doc, 0, 0, "AFTER-PROMOTION ");
      await eventually(() => expect(b.text()).toContain("AFTER-PROMOTION"));
      expect(b.text()).toBe(p.text());
      expect(p.denied).toEqual([]);

      // Nobody else was disturbed.
      expect(b.closes).toEqual([]);
      expect(b.provider.wsconnected).toBe(true);
    } finally {
      destroyAll(...clients);
    }
  });
});

describe("announced access changes", () => {
  it("close the connection at once through the routes, without waiting for the poll", async () => {
    // A poll far beyond the test's patience: only the announcement can close the connection in time.
    const slow = await startCollab({ db: app.db, accessCheckMs: 600_000 });
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Announced." });
    const clients: TestClient[] = [];
    try {
      const removed = await memberWithRole("viewer", "announced removal");
      const demoted = await memberWithRole("editor", "announced role change");
      const [a, b] = await Promise.all([removed, demoted].map((user) => connectClient({ serverUrl: slow.serverUrl, articleId: article.id, user })));
      clients.push(a!, b!);
      const params = (userId: string) => ({ team: desk.team.slug, userId });
      expect((await call(memberRoute.DELETE as Handler, { method: "DELETE", as: desk.users.owner, params: params(removed.id) })).status).toBe(204);
      expect((await call(memberRoute.PATCH as Handler, { method: "PATCH", as: desk.users.owner, params: params(demoted.id), json: { role: "viewer" } })).status).toBe(200);
      await eventually(() => {
        expect(a!.closes[0]?.code).toBe(CLOSE_CODES.forbidden);
        expect(b!.closes[0]?.code).toBe(CLOSE_CODES.accessChanged);
      }, 3_000);
    } finally {
      destroyAll(...clients);
      await slow.close();
    }
  });
});
