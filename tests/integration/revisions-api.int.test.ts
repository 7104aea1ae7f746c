import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GET as getClaimHistory } from "@/app/api/articles/[id]/claims/[claimId]/history/route";
import { GET as getRevision } from "@/app/api/articles/[id]/revisions/[rev]/route";
import { POST as postRestore } from "@/app/api/articles/[id]/revisions/[rev]/restore/route";
import { GET as getCompare } from "@/app/api/articles/[id]/revisions/compare/route";
import { GET as listRevisionsRoute, POST as postRevision } from "@/app/api/articles/[id]/revisions/route";
import { findRevision } from "@/db/queries/revisions";
import { auditEvents, docUpdates, type Article } from "@/db/schema";
import { createRevision } from "@/lib/revisions";
import { bodyFragment } from "@/model/article-doc";
import { plainTextToDoc } from "@/model/editor-extensions";
import { colourFor } from "@/model/person-colour";
import {
  addEvidence,
  addMessage,
  createThread,
  readThreads,
  resolveAnchorText,
  setResolved,
  updateClaim,
  type Thread,
} from "@/model/review";
import type { RevisionSummary } from "@/model/revisions";
import { ROLES } from "@/model/roles";
import { call, createDesk, type TestDesk, type TestUser } from "../support/api";
import { bodyText, createTextArticle, insertIntoParagraph, sameState } from "../support/collab";
import { anchorOn, CLAIM_PHRASE, SAMPLE_EVIDENCE, SAMPLE_PARAGRAPHS, SECOND_CLAIM_PHRASE, threadsOf, writeMessageAs } from "../support/review";
import { scriptSession, type ScriptedSession } from "../support/scripted-session";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

const TEXT = [...SAMPLE_PARAGRAPHS, "Critics called the figures implausible."].join("\n\n");

const EVIDENCE = SAMPLE_EVIDENCE;

let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "History Desk");
});

interface Session extends ScriptedSession {
  article: Article;
}

/** A text article with its rooms seeded as the server seeds them, and a scripted session on it (tests/support/scripted-session.ts). */
async function session(text = TEXT): Promise<Session> {
  const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text });
  return { article, ...(await scriptSession(app.db, { articleId: article.id, content: plainTextToDoc(text) })) };
}

function plainOf(xmlText: Y.XmlText): string {
  return (xmlText.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

/** Deletes the first occurrence of `phrase` from a body document. */
function deletePhrase(doc: Y.Doc, phrase: string): void {
  for (const node of bodyFragment(doc).toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlText)) continue;
      const at = plainOf(child).indexOf(phrase);
      if (at !== -1) {
        child.delete(at, phrase.length);
        return;
      }
    }
  }
  throw new Error(`"${phrase}" is not in the body`);
}

const revisionsOf = (as: TestUser, id: string, query: Record<string, string> = {}) => call(listRevisionsRoute, { as, params: { id }, query });
const saveVersion = (as: TestUser, id: string, label: unknown) => call(postRevision, { as, params: { id }, json: { label } });
const view = (as: TestUser, id: string, rev: string | number) => call(getRevision, { as, params: { id, rev: String(rev) } });
const compare = (as: TestUser, id: string, from: string | number, to: string | number) =>
  call(getCompare, { as, params: { id }, query: { from: String(from), to: String(to) } });
const restore = (as: TestUser, id: string, rev: string | number) => call(postRestore, { method: "POST", as, params: { id, rev: String(rev) } });

/** The state a revision stored, as documents. */
async function storedStates(articleId: string, number: number): Promise<{ body: Y.Doc; review: Y.Doc }> {
  const row = await findRevision(app.db, { teamId: desk.team.id, articleId, number });
  if (!row) throw new Error(`no revision ${number}`);
  const body = new Y.Doc();
  const review = new Y.Doc();
  Y.applyUpdate(body, row.bodyState);
  Y.applyUpdate(review, row.reviewState);
  return { body, review };
}

const byId = (threads: Thread[]) => [...threads].sort((a, b) => a.id.localeCompare(b.id));

/** Asserts that revision `number` holds exactly what `seen` holds now: same Yjs states, same text, same threads. */
async function expectRevisionMatches(s: Session, number: number, as: TestUser = desk.users.viewer): Promise<void> {
  const stored = await storedStates(s.article.id, number);
  expect(sameState(stored.body, s.seen.body), `revision ${number}: body state`).toBe(true);
  expect(sameState(stored.review, s.seen.review), `revision ${number}: review state`).toBe(true);
  expect(bodyText(stored.body)).toBe(bodyText(s.seen.body));
  expect(threadsOf(stored.review)).toEqual(threadsOf(s.seen.review));
  const res = await view(as, s.article.id, number);
  expect(res.status).toBe(200);
  expect(res.body.revision.number).toBe(number);
  expect(res.body.content.text).toBe(bodyText(s.seen.body));
  expect(byId(res.body.content.threads)).toEqual(threadsOf(s.seen.review));
}

/** Threads by id with their anchors' relative positions left out (the quote stays). */
const withoutPositions = (threads: Thread[]) => byId(threads).map((t) => ({ ...t, anchor: { quote: t.anchor.quote } }));

const person = (user: TestUser) => ({ id: user.id, name: user.name, colour: colourFor(user.id) });
const people = (...users: TestUser[]) => users.map(person).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

describe("a scripted session of body edits, claims, verdicts and resolutions", () => {
  let s: Session;
  let claimId: string;
  let evidenceId: string;
  const revs: RevisionSummary[] = [];

  beforeAll(async () => {
    s = await session();
    const { editor, checker, commenter } = desk.users;

    // Revision 1: the imported article, before anyone touched it.
    revs.push((await createRevision(app.db, { teamId: desk.team.id, articleId: s.article.id, kind: "auto", reason: "idle" }))!);

    // Revision 2: the editor adds a word, the checker flags a claim, a commenter replies.
    await s.as(editor, "body", (doc) => insertIntoParagraph(doc, 0, 0, "Yesterday "));
    await s.as(checker, "review", (doc) => {
      claimId = createThread(doc, {
        kind: "claim",
        anchor: anchorOn(s.seen.body, CLAIM_PHRASE),
        by: checker.id,
        claim: { claimant: "The minister", appearedIn: "Radio interview", appearedOn: "2024-03-01" },
      });
    });
    await s.as(commenter, "review", (doc) => addMessage(doc, claimId, { by: commenter.id, body: "The ONS says 4 percent.", mentions: [] }));
    revs.push((await createRevision(app.db, { teamId: desk.team.id, articleId: s.article.id, kind: "auto", reason: "idle" }))!);

    // Revision 3: a verdict, evidence, and the editor deletes a phrase.
    await s.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "false", state: "researching" } }));
    await s.as(editor, "review", (doc) => {
      evidenceId = addEvidence(doc, claimId, { by: editor.id, evidence: EVIDENCE });
    });
    await s.as(editor, "body", (doc) => deletePhrase(doc, ", the largest drop on record"));
    revs.push((await createRevision(app.db, { teamId: desk.team.id, articleId: s.article.id, kind: "auto", reason: "last-leave" }))!);

    // Revision 4: the verdict changes and the claim is resolved; the owner adds a sentence.
    await s.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "mostly-false" } }));
    await s.as(checker, "review", (doc) => setResolved(doc, claimId, { by: checker.id, resolved: true }));
    await s.as(desk.users.owner, "body", (doc) => insertIntoParagraph(doc, 2, Number.MAX_SAFE_INTEGER, " They were not."));
    const named = await saveVersion(desk.users.commenter, s.article.id, "  Verdict agreed  ");
    expect(named.status).toBe(201);
    revs.push(named.body.revision);
  });

  it("numbers the revisions 1, 2, 3, 4 and stores each exactly as a client held it then", async () => {
    expect(revs.map((r) => r.number)).toEqual([1, 2, 3, 4]);
    expect(revs.map((r) => [r.kind, r.reason])).toEqual([
      ["auto", "idle"],
      ["auto", "idle"],
      ["auto", "last-leave"],
      ["named", "named"],
    ]);
    expect(revs[3]).toMatchObject({ label: "Verdict agreed", createdBy: person(desk.users.commenter), restoredFromNumber: null });
    expect(Date.parse(revs[3]!.createdAt)).not.toBeNaN();
    // Revision 4 is now; the others were checked against the session's replay below.
    await expectRevisionMatches(s, 4);
  });

  it("rebuilds every earlier revision's state from the log, the same as replaying the session", async () => {
    // Replay the log up to each revision's position by hand: what a client that had received exactly
    // those rows held. The stored states must equal it.
    const rows = await app.db
      .select()
      .from(docUpdates)
      .where(eq(docUpdates.articleId, s.article.id))
      .orderBy(asc(docUpdates.id));
    for (const summary of revs) {
      const row = (await findRevision(app.db, { teamId: desk.team.id, articleId: s.article.id, number: summary.number }))!;
      const replay = { body: new Y.Doc(), review: new Y.Doc() };
      for (const r of rows) {
        if (r.room === "body" && r.id <= row.bodyUpto) Y.applyUpdate(replay.body, r.update);
        if (r.room === "review" && r.id <= row.reviewUpto) Y.applyUpdate(replay.review, r.update);
      }
      const stored = await storedStates(s.article.id, summary.number);
      expect(sameState(stored.body, replay.body), `revision ${summary.number}`).toBe(true);
      expect(sameState(stored.review, replay.review), `revision ${summary.number}`).toBe(true);
      const res = await view(desk.users.viewer, s.article.id, summary.number);
      expect(res.body.content.text).toBe(bodyText(replay.body));
      expect(byId(res.body.content.threads)).toEqual(threadsOf(replay.review));
    }
    const first = await view(desk.users.viewer, s.article.id, 1);
    expect(first.body.content.text).toBe(TEXT);
    expect(first.body.content.threads).toEqual([]);
    expect(first.body.content.body).toMatchObject({ type: "doc" });
  });

  it("names as contributors exactly the users whose log rows fall in each revision's window", () => {
    const { editor, checker, commenter, owner } = desk.users;
    expect(revs[0]!.contributors).toEqual([]);
    expect(revs[1]!.contributors).toEqual(people(editor, checker, commenter));
    expect(revs[2]!.contributors).toEqual(people(editor, checker));
    expect(revs[3]!.contributors).toEqual(people(checker, owner));
  });

  it("summarises each revision against the previous one", () => {
    expect(revs[1]!.stats).toMatchObject({ wordsAdded: 1, wordsRemoved: 0, claimsAdded: 1, messagesAdded: 1 });
    // "year," lost its comma, so it counts as touched too.
    expect(revs[2]!.stats).toMatchObject({ wordsAdded: 0, wordsRemoved: 6, verdictsChanged: 1, evidenceAdded: 1 });
    expect(revs[3]!.stats).toMatchObject({ wordsAdded: 3, verdictsChanged: 1, threadsResolved: 1, claimsAdded: 0 });
    expect(revs[1]!.summary).toMatch(/1 word added/);
    expect(revs[1]!.summary).toMatch(/1 claim flagged/);
    expect(revs[3]!.summary).toMatch(/Mostly false/);
  });

  it("compares two revisions: the text with its authors, the claim, verdict X → Y, evidence and resolution", async () => {
    const { editor, checker, commenter, owner } = desk.users;
    const quote = CLAIM_PHRASE;

    const oneToTwo = await compare(desk.users.viewer, s.article.id, 1, 2);
    expect(oneToTwo.status).toBe(200);
    expect(oneToTwo.body.from.number).toBe(1);
    expect(oneToTwo.body.to.number).toBe(2);
    expect(oneToTwo.body.paragraphs[0]).toEqual({
      status: "changed",
      segments: [
        { kind: "insert", text: "Yesterday ", by: editor.id },
        { kind: "same", text: TEXT.split("\n\n")[0] },
      ],
    });
    expect(oneToTwo.body.paragraphs.slice(1).map((p: { status: string }) => p.status)).toEqual(["same", "same"]);
    expect(oneToTwo.body.annotations).toEqual([
      { kind: "claim-added", threadId: claimId, quote },
      { kind: "messages-added", threadId: claimId, quote, count: 1, authorIds: [commenter.id] },
    ]);
    expect(oneToTwo.body.authors).toEqual(people(editor, commenter));

    const twoToThree = await compare(desk.users.viewer, s.article.id, 2, 3);
    expect(twoToThree.status).toBe(200);
    const deleted = twoToThree.body.paragraphs[0].segments.filter((seg: { kind: string }) => seg.kind !== "same");
    expect(deleted).toEqual([{ kind: "delete", text: ", the largest drop on record", by: editor.id }]);
    expect(twoToThree.body.annotations).toEqual([
      { kind: "verdict-changed", threadId: claimId, quote, from: null, to: "False" },
      { kind: "claim-state-changed", threadId: claimId, quote, from: "open", to: "researching" },
      { kind: "evidence-added", threadId: claimId, quote, evidenceId, title: EVIDENCE.title, url: EVIDENCE.url, stance: EVIDENCE.stance },
    ]);
    expect(twoToThree.body.stats).toMatchObject({ verdictsChanged: 1, evidenceAdded: 1, wordsRemoved: 6, wordsAdded: 0 });
    expect(twoToThree.body.authors).toEqual(people(editor));

    const threeToFour = await compare(desk.users.viewer, s.article.id, 3, 4);
    expect(threeToFour.body.annotations).toEqual([
      { kind: "verdict-changed", threadId: claimId, quote, from: "False", to: "Mostly false" },
      { kind: "thread-resolved", threadId: claimId, quote },
    ]);
    const added = threeToFour.body.paragraphs[2].segments.filter((seg: { kind: string }) => seg.kind !== "same");
    expect(added).toEqual([{ kind: "insert", text: " They were not.", by: owner.id }]);
    expect(threeToFour.body.paragraphs.slice(0, 2).map((p: { status: string }) => p.status)).toEqual(["same", "same"]);
    expect(threeToFour.body.authors).toEqual(people(owner));

    // Across several revisions the changes add up; verdict X → Y is from the first side to the last.
    const oneToFour = await compare(desk.users.viewer, s.article.id, 1, 4);
    expect(oneToFour.body.annotations).toEqual([
      { kind: "claim-added", threadId: claimId, quote },
      { kind: "verdict-changed", threadId: claimId, quote, from: null, to: "Mostly false" },
      { kind: "evidence-added", threadId: claimId, quote, evidenceId, title: EVIDENCE.title, url: EVIDENCE.url, stance: EVIDENCE.stance },
      { kind: "messages-added", threadId: claimId, quote, count: 1, authorIds: [commenter.id] },
      { kind: "thread-resolved", threadId: claimId, quote },
    ]);
    expect(oneToFour.body.authors).toEqual(people(editor, commenter, owner));
    expect(checker.id).not.toBe(owner.id);

    // `current` is the article now, built from the log: nothing since revision 4.
    const fourToNow = await compare(desk.users.viewer, s.article.id, 4, "current");
    expect(fourToNow.status).toBe(200);
    expect(fourToNow.body.to).toBeNull();
    expect(fourToNow.body.annotations).toEqual([]);
    expect(fourToNow.body.paragraphs.every((p: { status: string }) => p.status === "same")).toBe(true);
    expect(fourToNow.body.stats).toMatchObject({ wordsAdded: 0, wordsRemoved: 0 });
  });

  it("shows the article now as `current`, built from the log and not stored", async () => {
    const res = await view(desk.users.viewer, s.article.id, "current");
    expect(res.status).toBe(200);
    expect(res.body.revision).toBeNull();
    expect(res.body.content.text).toBe(bodyText(s.seen.body));
    expect(byId(res.body.content.threads)).toEqual(threadsOf(s.seen.review));
    expect((await revisionsOf(desk.users.viewer, s.article.id)).body.revisions).toHaveLength(4);
  });

  it("lists revisions newest first, a page at a time", async () => {
    const first = await revisionsOf(desk.users.viewer, s.article.id, { limit: "3" });
    expect(first.status).toBe(200);
    expect(first.body.revisions.map((r: RevisionSummary) => r.number)).toEqual([4, 3, 2]);
    expect(first.body.nextBefore).toBe(2);
    expect(first.body.revisions[0]).toEqual(revs[3]);
    const second = await revisionsOf(desk.users.viewer, s.article.id, { limit: "3", before: "2" });
    expect(second.body.revisions.map((r: RevisionSummary) => r.number)).toEqual([1]);
    expect(second.body.nextBefore).toBeNull();
    const all = await revisionsOf(desk.users.viewer, s.article.id);
    expect(all.body.revisions).toEqual([...revs].reverse());
    expect(all.body.nextBefore).toBeNull();
  });

  it("tells the history of one claim, each change attributed to who made it", async () => {
    const { checker, editor } = desk.users;
    const res = await call(getClaimHistory, { as: desk.users.viewer, params: { id: s.article.id, claimId } });
    expect(res.status).toBe(200);
    const changes = res.body.entries.map((e: { by: string | null; change: unknown }) => ({ by: e.by, change: e.change }));
    expect(changes).toEqual([
      { by: checker.id, change: { kind: "created" } },
      { by: checker.id, change: { kind: "verdict", from: null, to: "False" } },
      { by: checker.id, change: { kind: "state", from: "open", to: "researching" } },
      { by: editor.id, change: { kind: "evidence-added", evidenceId, title: EVIDENCE.title, url: EVIDENCE.url, stance: EVIDENCE.stance } },
      { by: checker.id, change: { kind: "verdict", from: "False", to: "Mostly false" } },
      { by: checker.id, change: { kind: "resolved" } },
    ]);
    for (const entry of res.body.entries) expect(Date.parse(entry.at)).not.toBeNaN();
    expect(res.body.people).toEqual(people(checker, editor));

    expect((await call(getClaimHistory, { as: desk.users.viewer, params: { id: s.article.id, claimId: "no-such-claim-id" } })).status).toBe(404);
    expect((await call(getClaimHistory, { as: desk.users.viewer, params: { id: s.article.id, claimId: "bad id!" } })).status).toBe(404);
    expect((await call(getClaimHistory, { as: desk.outsider, params: { id: s.article.id, claimId } })).status).toBe(404);
  });
});

describe("restore", () => {
  it("brings back the old text and threads as new operations by the restorer, between two system revisions", async () => {
    const s = await session();
    const { editor, checker } = desk.users;
    let claimId = "";
    await s.as(checker, "review", (doc) => {
      claimId = createThread(doc, { kind: "claim", anchor: anchorOn(s.seen.body, CLAIM_PHRASE), by: checker.id, claim: { verdict: "false" } });
    });
    const one = await saveVersion(editor, s.article.id, "Claim flagged");
    expect(one.status).toBe(201);
    const textAtOne = bodyText(s.seen.body);
    const threadsAtOne = threadsOf(s.seen.review);

    // Then the claimed passage is deleted, the verdict changed, another claim flagged and a paragraph added.
    await s.as(editor, "body", (doc) => deletePhrase(doc, CLAIM_PHRASE));
    await s.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "true" } }));
    await s.as(checker, "review", (doc) => {
      createThread(doc, { kind: "claim", anchor: anchorOn(s.seen.body, SECOND_CLAIM_PHRASE), by: checker.id });
    });
    await s.as(editor, "body", (doc) => insertIntoParagraph(doc, 1, 0, "Reportedly, "));
    const rowsBefore = await app.db.$count(docUpdates, eq(docUpdates.articleId, s.article.id));

    const res = await restore(editor, s.article.id, 1);
    expect(res.status).toBe(200);
    expect(res.body.restored).toMatchObject({ number: 1, label: "Claim flagged" });
    expect(res.body.before).toMatchObject({ number: 2, kind: "system", reason: "before-restore", createdBy: person(editor), restoredFromNumber: null });
    expect(res.body.after).toMatchObject({ number: 3, kind: "system", reason: "restore", createdBy: person(editor), restoredFromNumber: 1 });
    expect(res.body.before.contributors).toEqual(people(editor, checker));
    // The restore's own rows are the restorer's.
    expect(res.body.after.contributors).toEqual(people(editor));

    // History moved forward: new rows, written under the restorer's id.
    const newRows = await app.db
      .select({ userId: docUpdates.userId, room: docUpdates.room })
      .from(docUpdates)
      .where(eq(docUpdates.articleId, s.article.id))
      .orderBy(asc(docUpdates.id))
      .offset(rowsBefore);
    expect(newRows.map((r) => r.room).sort()).toEqual(["body", "review"]);
    expect(newRows.every((r) => r.userId === editor.id)).toBe(true);

    // The article now reads as revision 1 did, and so does the restore revision.
    // The claim's passage was deleted and re-inserted as new text, so its anchor points at the new
    // characters: everything else of the thread, its quote included, is as it was.
    const now = await view(desk.users.viewer, s.article.id, "current");
    expect(now.body.content.text).toBe(textAtOne);
    expect(withoutPositions(now.body.content.threads)).toEqual(withoutPositions(threadsAtOne));
    const after = await view(desk.users.viewer, s.article.id, 3);
    expect(after.body.content.text).toBe(textAtOne);
    expect(withoutPositions(after.body.content.threads)).toEqual(withoutPositions(threadsAtOne));

    // The restored claim points at its passage again (which the restore re-inserted), not at nothing.
    const stored = await storedStates(s.article.id, 3);
    const [thread] = readThreads(stored.review);
    expect(resolveAnchorText(stored.body, thread!.anchor)?.text).toBe(CLAIM_PHRASE);

    // Comparing before and after the restore lists the undoing.
    const undo = await compare(desk.users.viewer, s.article.id, 2, 3);
    expect(undo.body.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "verdict-changed", threadId: claimId, from: "True", to: "False" }),
        expect.objectContaining({ kind: "claim-removed" }),
      ]),
    );
    expect(undo.body.stats.wordsAdded).toBeGreaterThan(0);
    expect(undo.body.authors).toEqual(people(editor));

    const trail = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, desk.team.id), eq(auditEvents.action, "revision.restore"), eq(auditEvents.targetId, s.article.id)));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: editor.id, targetType: "article", data: { restoredNumber: 1, beforeNumber: 2, afterNumber: 3 } });
  });

  it("restoring the revision the article already matches writes nothing but still records both ends", async () => {
    const s = await session();
    expect((await saveVersion(desk.users.owner, s.article.id, "Start")).status).toBe(201);
    const rowsBefore = await app.db.$count(docUpdates, eq(docUpdates.articleId, s.article.id));
    const res = await restore(desk.users.owner, s.article.id, 1);
    expect(res.status).toBe(200);
    expect(res.body.after).toMatchObject({ number: 3, restoredFromNumber: 1, contributors: [] });
    expect(await app.db.$count(docUpdates, eq(docUpdates.articleId, s.article.id))).toBe(rowsBefore);
    expect((await view(desk.users.viewer, s.article.id, "current")).body.content.text).toBe(TEXT);
  });
});

describe("contributors come from the log, not from what a client claims", () => {
  it("ignores a fake author written into the document", async () => {
    const s = await session();
    const { commenter, owner, checker } = desk.users;
    let claimId = "";
    await s.as(checker, "review", (doc) => {
      claimId = createThread(doc, { kind: "claim", anchor: anchorOn(s.seen.body, CLAIM_PHRASE), by: checker.id });
    });
    expect((await saveVersion(commenter, s.article.id, "Before")).status).toBe(201);
    // The commenter's row carries a message that claims to be the owner's.
    await s.as(commenter, "review", (doc) => {
      writeMessageAs(doc, claimId, { authorId: owner.id, body: "Signed, the owner" });
    });
    const res = await saveVersion(commenter, s.article.id, "After");
    expect(res.status).toBe(201);
    expect(res.body.revision.contributors).toEqual(people(commenter));
    expect(res.body.revision.createdBy).toEqual(person(commenter));
  });

  it("names no one for a window in which only the server wrote", async () => {
    const s = await session();
    const res = await saveVersion(desk.users.owner, s.article.id, "Untouched");
    expect(res.body.revision.contributors).toEqual([]);
  });
});

describe("automatic revisions", () => {
  it("are skipped when nothing was written since the previous revision", async () => {
    const s = await session();
    const params = { teamId: desk.team.id, articleId: s.article.id, kind: "auto" as const, reason: "idle" as const, skipIfUnchanged: true };
    expect((await createRevision(app.db, params))?.number).toBe(1);
    expect(await createRevision(app.db, params)).toBeNull();
    await s.as(desk.users.editor, "body", (doc) => insertIntoParagraph(doc, 0, 0, "New "));
    const second = await createRevision(app.db, params);
    expect(second).toMatchObject({ number: 2, contributors: people(desk.users.editor) });
    expect(await createRevision(app.db, params)).toBeNull();
  });

  it("number one at a time when taken concurrently", async () => {
    const s = await session();
    const made = await Promise.all(
      Array.from({ length: 6 }, () => createRevision(app.db, { teamId: desk.team.id, articleId: s.article.id, kind: "auto", reason: "idle" })),
    );
    expect(made.map((r) => r!.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("seed an article nobody has opened from its imported text", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: TEXT });
    const made = await createRevision(app.db, { teamId: desk.team.id, articleId: article.id, kind: "auto", reason: "idle" });
    expect(made?.number).toBe(1);
    expect((await view(desk.users.viewer, article.id, 1)).body.content.text).toBe(TEXT);
  });

  it("refuse an article of another desk", async () => {
    const other = await createDesk(app, "Other History Desk");
    const article = await createTextArticle(app.db, { teamId: other.team.id, createdBy: other.users.editor.id, text: TEXT });
    await expect(createRevision(app.db, { teamId: desk.team.id, articleId: article.id, kind: "auto", reason: "idle" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("rights and bad input", () => {
  let s: Session;
  beforeAll(async () => {
    s = await session();
    expect((await saveVersion(desk.users.editor, s.article.id, "First")).status).toBe(201);
  });

  it("lets every member read the history, and nobody else", async () => {
    for (const role of ROLES) {
      expect((await revisionsOf(desk.users[role], s.article.id)).status, role).toBe(200);
      expect((await view(desk.users[role], s.article.id, 1)).status, role).toBe(200);
      expect((await compare(desk.users[role], s.article.id, 1, "current")).status, role).toBe(200);
    }
    expect(await call(listRevisionsRoute, { params: { id: s.article.id } })).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    for (const res of [
      await revisionsOf(desk.outsider, s.article.id),
      await view(desk.outsider, s.article.id, 1),
      await compare(desk.outsider, s.article.id, 1, "current"),
      await saveVersion(desk.outsider, s.article.id, "Sneaky"),
      await restore(desk.outsider, s.article.id, 1),
      await revisionsOf(desk.users.owner, randomUUID()),
      await revisionsOf(desk.users.owner, "not-an-id"),
    ]) {
      expect(res).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }
  });

  it("lets a commenter save a named version, and not a viewer", async () => {
    const viewer = await saveVersion(desk.users.viewer, s.article.id, "Viewer's version");
    expect(viewer).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    const commenter = await saveVersion(desk.users.commenter, s.article.id, "Commenter's version");
    expect(commenter.status).toBe(201);
    expect(commenter.body.revision).toMatchObject({ kind: "named", reason: "named", label: "Commenter's version", createdBy: person(desk.users.commenter) });
    const trail = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "revision.create"), eq(auditEvents.targetId, s.article.id), eq(auditEvents.actorId, desk.users.commenter.id)));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ teamId: desk.team.id, targetType: "article", data: { number: commenter.body.revision.number, label: "Commenter's version" } });
  });

  it("refuses a checker's (and a commenter's) restore with 403 and changes nothing", async () => {
    const count = async () => (await revisionsOf(desk.users.viewer, s.article.id)).body.revisions.length;
    const before = await count();
    const rows = await app.db.$count(docUpdates, eq(docUpdates.articleId, s.article.id));
    for (const role of ["checker", "commenter", "viewer"] as const) {
      expect(await restore(desk.users[role], s.article.id, 1), role).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    }
    expect(await count()).toBe(before);
    expect(await app.db.$count(docUpdates, eq(docUpdates.articleId, s.article.id))).toBe(rows);
    expect((await restore(desk.users.editor, s.article.id, 1)).status).toBe(200);
  });

  it("answers 404 for an unknown revision", async () => {
    for (const res of [
      await view(desk.users.viewer, s.article.id, 999),
      await view(desk.users.viewer, s.article.id, "0"),
      await view(desk.users.viewer, s.article.id, "latest"),
      await view(desk.users.viewer, s.article.id, "1.5"),
      await compare(desk.users.viewer, s.article.id, 1, 999),
      await compare(desk.users.viewer, s.article.id, 999, "current"),
      await restore(desk.users.editor, s.article.id, 999),
      await restore(desk.users.editor, s.article.id, "nope"),
    ]) {
      expect(res).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    }
  });

  it("answers 400 with a JSON error for bad input, and stores nothing", async () => {
    const count = async () => (await revisionsOf(desk.users.viewer, s.article.id)).body.revisions.length;
    const before = await count();
    const badLabels: unknown[] = ["", "   ", "x".repeat(121), 42, null, ["a"]];
    for (const label of badLabels) {
      const res = await saveVersion(desk.users.editor, s.article.id, label);
      expect(res, JSON.stringify(label)).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    }
    expect((await call(postRevision, { as: desk.users.editor, params: { id: s.article.id }, json: {} })).status).toBe(400);
    expect((await call(postRevision, { as: desk.users.editor, params: { id: s.article.id }, json: { label: "ok", extra: 1 } })).status).toBe(400);
    expect((await call(postRevision, { as: desk.users.editor, params: { id: s.article.id }, rawBody: "{", contentType: "application/json" })).status).toBe(400);
    expect((await call(postRevision, { as: desk.users.editor, params: { id: s.article.id }, rawBody: "label=x", contentType: "text/plain" })).status).toBe(415);
    expect(await count()).toBe(before);
    expect((await saveVersion(desk.users.editor, s.article.id, "x".repeat(120))).status).toBe(201);

    const badPages: Record<string, string>[] = [{ limit: "0" }, { limit: "101" }, { limit: "many" }, { before: "0" }, { before: "-3" }];
    for (const query of badPages) {
      expect(await revisionsOf(desk.users.viewer, s.article.id, query), JSON.stringify(query)).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    }
    const badPairs: Record<string, string>[] = [{ from: "1" }, { to: "1" }, { from: "one", to: "current" }, { from: "1", to: "-1" }, {}];
    for (const query of badPairs) {
      const res = await call(getCompare, { as: desk.users.viewer, params: { id: s.article.id }, query });
      expect(res, JSON.stringify(query)).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    }
    expect(await restore(desk.users.editor, s.article.id, "current")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
  });
});
