import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GET as getClaims } from "@/app/api/articles/[id]/claims/route";
import { PUT as putSettings } from "@/app/api/teams/[team]/settings/route";
import { countClaimsByArticle } from "@/db/queries/review";
import type { Article } from "@/db/schema";
import { addEvidence, addMessage, createThread, metaMap, readThread, REVIEW_SCHEMA_VERSION, updateClaim, type Thread } from "@/model/review";
import type { Role } from "@/model/roles";
import { call, createDesk, createUser, setRole, type TestDesk, type TestUser } from "../../support/api";
import {
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  logAuthors,
  startCollab,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import {
  anchorOn,
  CLAIM_PHRASE,
  COMMENT_PHRASE,
  expectOneRefusal,
  projectedClaims,
  refusal,
  reviewRef,
  SAMPLE_EVIDENCE,
  SAMPLE_PARAGRAPHS,
  SATIRE,
  scaleWith,
  SECOND_CLAIM_PHRASE,
  storedRoots,
  storedThreads,
  threadsOf,
  writeMessageAs,
} from "../../support/review";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

const TEXT = SAMPLE_PARAGRAPHS.join("\n\n");

const EVIDENCE = SAMPLE_EVIDENCE;

beforeAll(async () => {
  desk = await createDesk(app, "Review Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

/** A member of the test desk made for one scenario, so that the log's authors tell whose rows exist. */
async function memberWithRole(role: Role, label: string): Promise<TestUser> {
  const user = await createUser(app, { name: `Review ${label}` });
  await setRole(app.db, { teamId: desk.team.id, userId: user.id, role });
  return user;
}

interface Scenario {
  article: Article;
  /** A read-only body client: its document is where anchors are built. */
  body: TestClient;
  clients: TestClient[];
  review(user: TestUser): Promise<TestClient>;
}

/** A new article whose body room is loaded (and so seeded), with a way to open review clients on it. */
async function scenario(teamId = desk.team.id, text = TEXT, bodyUser: TestUser = desk.users.viewer): Promise<Scenario> {
  const article = await createTextArticle(app.db, { teamId, createdBy: desk.users.editor.id, text });
  const clients: TestClient[] = [];
  const body = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "body", user: bodyUser });
  clients.push(body);
  return {
    article,
    body,
    clients,
    review: async (user) => {
      const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "review", user });
      clients.push(client);
      return client;
    },
  };
}

/** A claim flagged by the desk's checker on CLAIM_PHRASE, with a first message, synced to `others`. */
function flagClaim(checker: TestClient, body: Y.Doc, claim: Parameters<typeof createThread>[1]["claim"] = {}): string {
  return createThread(checker.doc, {
    kind: "claim",
    anchor: anchorOn(body, CLAIM_PHRASE),
    by: checker.user.id,
    message: { body: "Check the figure against the ONS series.", mentions: [] },
    claim: { claimant: "The minister", appearedIn: "Radio interview", appearedOn: "2024-03-01", ...claim },
  });
}

async function seenBy(threadId: string, ...clients: TestClient[]): Promise<void> {
  await eventually(() => {
    for (const client of clients) expect(readThread(client.doc, threadId), `${client.user.name} has not received ${threadId}`).toBeDefined();
  });
}

/** Every client's threads, once they all agree; fails (after the bounded wait) when they never do. */
async function converged(clients: TestClient[], check: (threads: Thread[]) => void): Promise<Thread[]> {
  return eventually(() => {
    const [first, ...rest] = clients.map((c) => threadsOf(c.doc));
    check(first!);
    for (const other of rest) expect(other).toEqual(first);
    return first!;
  });
}

/** A change that everyone (and the store) must see after a refusal: proves the refused one was not just slow. */
async function marker(articleId: string, by: TestClient, threadId: string, watchers: TestClient[], rationale: string): Promise<void> {
  updateClaim(by.doc, threadId, { by: by.user.id, patch: { rationale } });
  await eventually(() => {
    for (const watcher of watchers) expect(readThread(watcher.doc, threadId)?.claim?.rationale).toBe(rationale);
  });
  await eventually(async () => {
    const stored = await storedThreads(app.db, articleId);
    expect(stored.find((t) => t.id === threadId)?.claim?.rationale).toBe(rationale);
  }, 10_000, 100);
}

describe("three people on one claim", () => {
  it("a checker's claim, an editor's evidence and a commenter's reply converge everywhere, are stored and are projected", async () => {
    const s = await scenario();
    try {
      const [checker, editor, commenter] = await Promise.all([s.review(desk.users.checker), s.review(desk.users.editor), s.review(desk.users.commenter)]);
      const claimId = flagClaim(checker!, s.body.doc);
      await seenBy(claimId, editor!, commenter!);

      // Three writes made before any of them has seen another's: truly concurrent.
      const evidenceId = addEvidence(editor!.doc, claimId, { by: desk.users.editor.id, evidence: EVIDENCE });
      const replyId = addMessage(commenter!.doc, claimId, { by: desk.users.commenter.id, body: "The ONS says 4 percent.", mentions: [desk.users.checker.id] });
      const commentId = createThread(commenter!.doc, {
        kind: "comment",
        anchor: anchorOn(s.body.doc, COMMENT_PHRASE),
        by: desk.users.commenter.id,
        message: { body: "Is this on record?", mentions: [] },
      });
      updateClaim(checker!.doc, claimId, { by: desk.users.checker.id, patch: { verdict: "mostly-false", state: "researching", rationale: "Off by a factor of ten." } });

      const all = [checker!, editor!, commenter!];
      const threads = await converged(all, (t) => {
        expect(t).toHaveLength(2);
        const claim = t.find((x) => x.id === claimId);
        expect(claim && Object.keys(claim.messages)).toHaveLength(2);
        expect(claim && Object.keys(claim.evidence ?? {})).toHaveLength(1);
        expect(claim?.claim?.verdict).toBe("mostly-false");
      });
      const claim = threads.find((t) => t.id === claimId)!;
      expect(claim).toMatchObject({
        kind: "claim",
        createdBy: desk.users.checker.id,
        anchor: { quote: { exact: CLAIM_PHRASE, prefix: "The minister said ", suffix: ", the largest drop on record." } },
        claim: {
          claimant: "The minister",
          state: "researching",
          verdict: "mostly-false",
          verdictBy: desk.users.checker.id,
          rationale: "Off by a factor of ten.",
          updatedBy: desk.users.checker.id,
        },
      });
      expect(claim.messages[replyId]).toMatchObject({ authorId: desk.users.commenter.id, body: "The ONS says 4 percent.", mentions: [desk.users.checker.id] });
      expect(claim.evidence?.[evidenceId]).toMatchObject({ ...EVIDENCE, addedBy: desk.users.editor.id });
      expect(threads.find((t) => t.id === commentId)).toMatchObject({ kind: "comment", createdBy: desk.users.commenter.id });
      for (const client of all) {
        expect(client.closes).toEqual([]);
        expect(client.denied).toEqual([]);
      }

      // What is stored is exactly what everyone holds.
      await eventually(async () => expect(await storedThreads(app.db, s.article.id)).toEqual(threads), 10_000, 100);
      const authors = await logAuthors(app.db, reviewRef(s.article.id));
      for (const user of [desk.users.checker, desk.users.editor, desk.users.commenter]) expect(authors).toContain(user.id);

      // The projection follows within seconds.
      const [projected] = await projectedClaims(app.db, { teamId: desk.team.id, articleId: s.article.id }, (claims) => {
        expect(claims).toHaveLength(1);
        expect(claims[0]).toMatchObject({ messageCount: 2, verdict: "mostly-false" });
        expect(claims[0]!.evidence).toHaveLength(1);
      });
      expect(projected).toMatchObject({
        id: claimId,
        quote: CLAIM_PHRASE,
        claimant: "The minister",
        appearedIn: "Radio interview",
        appearedOn: "2024-03-01",
        state: "researching",
        verdict: "mostly-false",
        rationale: "Off by a factor of ten.",
        resolved: false,
        messageCount: 2,
        createdBy: desk.users.checker.id,
        evidence: [{ id: evidenceId, ...EVIDENCE, addedBy: desk.users.editor.id }],
      });

      const res = await call(getClaims, { as: desk.users.commenter, params: { id: s.article.id } });
      expect(res.status).toBe(200);
      expect(res.body.claims).toHaveLength(1);
      expect(res.body.claims[0]).toMatchObject({
        id: claimId,
        quote: CLAIM_PHRASE,
        verdict: "mostly-false",
        verdictLabel: "Mostly false",
        state: "researching",
        messageCount: 2,
        evidence: [{ id: evidenceId, url: EVIDENCE.url, stance: "refutes", title: EVIDENCE.title, publisher: EVIDENCE.publisher, addedBy: desk.users.editor.id }],
      });

      const counts = await countClaimsByArticle(app.db, { teamId: desk.team.id });
      expect(counts.get(s.article.id)).toEqual({ byState: { researching: 1 }, byVerdict: { "mostly-false": 1 }, comments: 1 });
    } finally {
      destroyAll(...s.clients);
    }
  });
});

describe("refused review changes", () => {
  it("refuses a commenter's verdict with 4422: nothing is stored and nobody else sees it", async () => {
    const s = await scenario();
    const commenterUser = await memberWithRole("commenter", "verdict commenter");
    try {
      const [checker, editor, commenter] = await Promise.all([s.review(desk.users.checker), s.review(desk.users.editor), s.review(commenterUser)]);
      const claimId = flagClaim(checker!, s.body.doc, { verdict: "mixed", state: "researching" });
      await seenBy(claimId, editor!, commenter!);
      await eventually(async () => expect((await storedThreads(app.db, s.article.id)).map((t) => t.id)).toEqual([claimId]), 10_000, 100);
      const before = readThread(editor!.doc, claimId)!;

      updateClaim(commenter!.doc, claimId, { by: commenterUser.id, patch: { verdict: "false" } });
      const close = await refusal(commenter!);
      expect(close.reason).toMatch(/checkers, editors and owners/);
      // The refused client's own copy still holds its change until it reloads; nobody else's does.
      expect(readThread(commenter!.doc, claimId)?.claim?.verdict).toBe("false");

      await marker(s.article.id, checker!, claimId, [editor!, checker!], "Marker after the refusal.");
      expectOneRefusal(commenter!, /checkers/);
      for (const client of [checker!, editor!]) {
        expect(readThread(client.doc, claimId)?.claim).toMatchObject({ verdict: "mixed", verdictBy: desk.users.checker.id, verdictAt: before.claim!.verdictAt });
        expect(client.closes).toEqual([]);
      }
      // y-websocket does not reconnect after 44xx: the refused change is never offered again.
      expect(commenter!.provider.shouldConnect).toBe(false);

      const stored = (await storedThreads(app.db, s.article.id)).find((t) => t.id === claimId);
      expect(stored?.claim).toMatchObject({ verdict: "mixed", verdictBy: desk.users.checker.id, rationale: "Marker after the refusal." });
      expect(await logAuthors(app.db, reviewRef(s.article.id))).not.toContain(commenterUser.id);

      // Reloading (a fresh document) gives the server's state, and honest writes go through again.
      const reloaded = await s.review(commenterUser);
      expect(readThread(reloaded.doc, claimId)?.claim?.verdict).toBe("mixed");
      const replyId = addMessage(reloaded.doc, claimId, { by: commenterUser.id, body: "Sorry, wrong button.", mentions: [] });
      await eventually(() => expect(readThread(editor!.doc, claimId)?.messages[replyId]).toBeDefined());
      expect(reloaded.closes).toEqual([]);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("refuses spoofed authors, a javascript: evidence URL and changes outside the threads; nothing of them is stored or relayed", async () => {
    const s = await scenario();
    const [spoofingCommenter, spoofingChecker, spoofingOwner, jsChecker, metaEditor, rootOwner] = await Promise.all([
      memberWithRole("commenter", "spoofing commenter"),
      memberWithRole("checker", "spoofing checker"),
      memberWithRole("owner", "spoofing owner"),
      memberWithRole("checker", "javascript checker"),
      memberWithRole("editor", "meta editor"),
      memberWithRole("owner", "root owner"),
    ]);
    try {
      const [checker, watcher] = await Promise.all([s.review(desk.users.checker), s.review(desk.users.editor)]);
      const claimId = flagClaim(checker!, s.body.doc);
      await seenBy(claimId, watcher!);
      const honest = threadsOf(checker!.doc);

      const attempts: { user: TestUser; reason: RegExp; write: (client: TestClient) => void }[] = [
        {
          user: spoofingCommenter,
          reason: /own name/,
          // A message entry made by hand, signed with the checker's id.
          write: (c) => void writeMessageAs(c.doc, claimId, { authorId: desk.users.checker.id, body: "I, the checker, retract this." }),
        },
        {
          user: spoofingOwner,
          reason: /own name/,
          // Even an owner writes only as themselves.
          write: (c) => void writeMessageAs(c.doc, claimId, { authorId: desk.users.commenter.id, body: "Said the commenter." }),
        },
        {
          user: spoofingChecker,
          reason: /started under your own name/,
          write: (c) =>
            void createThread(c.doc, { kind: "claim", anchor: anchorOn(s.body.doc, SECOND_CLAIM_PHRASE), by: desk.users.editor.id, claim: { claimant: "Report" } }),
        },
        {
          user: jsChecker,
          reason: /url/i,
          write: (c) =>
            void addEvidence(c.doc, claimId, { by: jsChecker.id, evidence: { ...EVIDENCE, url: "javascript:alert(document.cookie)", stance: "supports" } }),
        },
        {
          user: metaEditor,
          reason: /outside the review threads/,
          write: (c) => metaMap(c.doc).set("schemaVersion", REVIEW_SCHEMA_VERSION + 1),
        },
        {
          user: rootOwner,
          reason: /outside the review threads/,
          write: (c) => c.doc.getMap("notes").set("hidden", "not part of the layout"),
        },
      ];

      for (const attempt of attempts) {
        const client = await s.review(attempt.user);
        attempt.write(client);
        const close = await refusal(client);
        expect(close.reason, attempt.user.name).toMatch(attempt.reason);
        expect(new TextEncoder().encode(close.reason).byteLength).toBeLessThanOrEqual(123);
      }

      // An honest change after all of them reaches everyone; none of the refused ones did.
      await marker(s.article.id, checker!, claimId, [watcher!, checker!], "Still honest.");
      for (const client of s.clients.slice(3)) expectOneRefusal(client, /./);
      const expected = honest.map((t) => (t.id === claimId ? readThread(checker!.doc, claimId)! : t));
      expect(threadsOf(watcher!.doc)).toEqual(expected);
      expect(threadsOf(checker!.doc)).toEqual(expected);
      expect(Object.keys(readThread(watcher!.doc, claimId)!.messages)).toHaveLength(1);
      expect(readThread(watcher!.doc, claimId)!.evidence).toEqual({});
      expect(metaMap(watcher!.doc).get("schemaVersion")).toBe(REVIEW_SCHEMA_VERSION);
      expect(watcher!.doc.share.has("notes") ? watcher!.doc.getMap("notes").size : 0).toBe(0);
      expect(watcher!.closes).toEqual([]);
      expect(checker!.closes).toEqual([]);

      expect(await storedThreads(app.db, s.article.id)).toEqual(expected);
      const roots = await storedRoots(app.db, s.article.id);
      expect(roots.meta).toEqual({ schemaVersion: REVIEW_SCHEMA_VERSION });
      expect(roots.notes ?? {}).toEqual({});
      const authors = await logAuthors(app.db, reviewRef(s.article.id));
      for (const { user } of attempts) expect(authors).not.toContain(user.id);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("answers a viewer's review writes with permission denied, keeps it connected, and stores nothing", async () => {
    const s = await scenario();
    const viewerUser = await memberWithRole("viewer", "writing viewer");
    try {
      const [checker, editor, viewer] = await Promise.all([s.review(desk.users.checker), s.review(desk.users.editor), s.review(viewerUser)]);
      const claimId = flagClaim(checker!, s.body.doc);
      await seenBy(claimId, editor!, viewer!);
      // A read-only client's sync handshake is not a write.
      expect(viewer!.denied).toEqual([]);

      const viewerThread = createThread(viewer!.doc, {
        kind: "comment",
        anchor: anchorOn(s.body.doc, COMMENT_PHRASE),
        by: viewerUser.id,
        message: { body: "Viewer comment", mentions: [] },
      });
      await eventually(() => expect(viewer!.denied).toHaveLength(1));
      const viewerReply = addMessage(viewer!.doc, claimId, { by: viewerUser.id, body: "Viewer reply", mentions: [] });
      await eventually(() => expect(viewer!.denied).toHaveLength(2));
      expect(viewer!.denied[0]).toMatch(/viewer/);

      // The role check answers with permission denied (not 4422) and leaves the read-only connection open.
      expect(viewer!.closes).toEqual([]);
      expect(viewer!.provider.wsconnected).toBe(true);
      await marker(s.article.id, checker!, claimId, [editor!, viewer!], "The viewer still reads along.");
      for (const client of [checker!, editor!]) {
        expect(readThread(client.doc, viewerThread)).toBeUndefined();
        expect(readThread(client.doc, claimId)?.messages[viewerReply]).toBeUndefined();
      }

      const stored = await storedThreads(app.db, s.article.id);
      expect(stored.map((t) => t.id)).toEqual([claimId]);
      expect(Object.keys(stored[0]!.messages)).toHaveLength(1);
      expect(await logAuthors(app.db, reviewRef(s.article.id))).not.toContain(viewerUser.id);
    } finally {
      destroyAll(...s.clients);
    }
  });
});

describe("the desk's verdict scale", () => {
  it("refuses a verdict that is not on the scale, and accepts it on a new connection once an owner has added it", async () => {
    const scaleDesk = await createDesk(app, "Scale Desk");
    const s = await scenario(scaleDesk.team.id, TEXT, scaleDesk.users.viewer);
    try {
      const [checker, editor] = await Promise.all([s.review(scaleDesk.users.checker), s.review(scaleDesk.users.editor)]);
      const claimId = flagClaim(checker!, s.body.doc);
      await seenBy(claimId, editor!);

      // Before: "satire" is not on the scale.
      updateClaim(checker!.doc, claimId, { by: scaleDesk.users.checker.id, patch: { verdict: SATIRE.key } });
      expect((await refusal(checker!)).reason).toMatch(/"satire" is not on the desk's verdict scale/);

      const put = await call(putSettings, { method: "PUT", as: scaleDesk.users.owner, params: { team: scaleDesk.team.slug }, json: { verdictScale: scaleWith(SATIRE), allowSelfApproval: false } });
      expect(put.status).toBe(200);

      // After: a new connection makes the room re-read the scale.
      const again = await s.review(scaleDesk.users.checker);
      expect(readThread(again.doc, claimId)?.claim?.verdict).toBeNull();
      updateClaim(again.doc, claimId, { by: scaleDesk.users.checker.id, patch: { verdict: SATIRE.key, rationale: "A parody site." } });
      await eventually(() => expect(readThread(editor!.doc, claimId)?.claim).toMatchObject({ verdict: "satire", verdictBy: scaleDesk.users.checker.id }));
      expect(again.closes).toEqual([]);
      expect(editor!.closes).toEqual([]);

      await eventually(async () => expect((await storedThreads(app.db, s.article.id))[0]?.claim?.verdict).toBe("satire"), 10_000, 100);
      await projectedClaims(app.db, { teamId: scaleDesk.team.id, articleId: s.article.id }, (claims) => expect(claims.map((c) => c.verdict)).toEqual(["satire"]));
      const res = await call(getClaims, { as: scaleDesk.users.viewer, params: { id: s.article.id } });
      expect(res.status).toBe(200);
      expect(res.body.claims).toMatchObject([{ id: claimId, verdict: "satire", verdictLabel: "Satire", rationale: "A parody site." }]);
      expect((await countClaimsByArticle(app.db, { teamId: scaleDesk.team.id })).get(s.article.id)).toEqual({ byState: { open: 1 }, byVerdict: { satire: 1 }, comments: 0 });
    } finally {
      destroyAll(...s.clients);
    }
  });
});

describe("the projection", () => {
  it("rewrites only the threads that changed: a deleted claim leaves the tables, the other keeps its evidence", async () => {
    const s = await scenario();
    try {
      const checker = await s.review(desk.users.checker);
      const editor = await s.review(desk.users.editor);
      const first = flagClaim(checker, s.body.doc);
      const second = createThread(checker.doc, { kind: "claim", anchor: anchorOn(s.body.doc, SECOND_CLAIM_PHRASE), by: checker.user.id });
      await seenBy(second, editor);
      addEvidence(editor.doc, second, { by: editor.user.id, evidence: EVIDENCE });
      const scope = { teamId: desk.team.id, articleId: s.article.id };
      await projectedClaims(app.db, scope, (claims) => {
        expect(claims.map((c) => c.id).sort()).toEqual([first, second].sort());
        expect(claims.find((c) => c.id === second)?.evidence.map((e) => e.url)).toEqual([EVIDENCE.url]);
      });

      // The editor (who may delete others' threads) deletes the first claim; nothing else changes.
      editor.doc.getMap("threads").delete(first);
      await projectedClaims(app.db, scope, (claims) => {
        expect(claims.map((c) => c.id)).toEqual([second]);
        expect(claims[0]!.evidence.map((e) => e.url)).toEqual([EVIDENCE.url]);
      });
    } finally {
      destroyAll(...s.clients);
    }
  });
});
