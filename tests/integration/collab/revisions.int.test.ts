import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GET as getRevision } from "@/app/api/articles/[id]/revisions/[rev]/route";
import { POST as postRestore } from "@/app/api/articles/[id]/revisions/[rev]/restore/route";
import { GET as getCompare } from "@/app/api/articles/[id]/revisions/compare/route";
import { POST as postRevision } from "@/app/api/articles/[id]/revisions/route";
import { findRevision } from "@/db/queries/revisions";
import type { Article } from "@/db/schema";
import { bodyFragment } from "@/model/article-doc";
import { colourFor } from "@/model/person-colour";
import { addEvidence, addMessage, createThread, readThread, resolveAnchorText, setResolved, updateClaim } from "@/model/review";
import type { RevisionSummary } from "@/model/revisions";
import { call, createDesk, type TestDesk, type TestUser } from "../../support/api";
import {
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertIntoParagraph,
  sameState,
  startCollab,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { anchorOn, CLAIM_PHRASE, SAMPLE_EVIDENCE, SAMPLE_PARAGRAPHS, SECOND_CLAIM_PHRASE, threadsOf } from "../../support/review";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

const TEXT = SAMPLE_PARAGRAPHS.join("\n\n");
const EVIDENCE = SAMPLE_EVIDENCE;

beforeAll(async () => {
  desk = await createDesk(app, "Live History Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

const person = (user: TestUser) => ({ id: user.id, name: user.name, colour: colourFor(user.id) });
const people = (...users: TestUser[]) => users.map(person).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

const saveVersion = async (as: TestUser, articleId: string, label: string): Promise<RevisionSummary> => {
  const res = await call(postRevision, { as, params: { id: articleId }, json: { label } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.revision;
};

interface Live {
  article: Article;
  clients: TestClient[];
  open(user: TestUser, room: "body" | "review"): Promise<TestClient>;
}

async function live(): Promise<Live> {
  const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: TEXT });
  const clients: TestClient[] = [];
  return {
    article,
    clients,
    async open(user, room) {
      const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room, user });
      clients.push(client);
      return client;
    },
  };
}

/** Waits until every client of a room holds the same state as `leader`. */
async function allHold(leader: TestClient, others: TestClient[]): Promise<void> {
  await eventually(() => {
    for (const other of others) expect(sameState(other.doc, leader.doc), `${other.user.name} lags behind ${leader.user.name}`).toBe(true);
  });
}

/** Asserts that a revision stored exactly what `body` and `review` (clients' documents) hold. */
async function expectRevisionHolds(articleId: string, number: number, body: Y.Doc, review: Y.Doc): Promise<void> {
  const row = await findRevision(app.db, { teamId: desk.team.id, articleId, number });
  if (!row) throw new Error(`no revision ${number}`);
  const stored = { body: new Y.Doc(), review: new Y.Doc() };
  Y.applyUpdate(stored.body, row.bodyState);
  Y.applyUpdate(stored.review, row.reviewState);
  expect(sameState(stored.body, body), `revision ${number}: body`).toBe(true);
  expect(sameState(stored.review, review), `revision ${number}: review`).toBe(true);
  const res = await call(getRevision, { as: desk.users.viewer, params: { id: articleId, rev: String(number) } });
  expect(res.status).toBe(200);
  expect(res.body.content.text).toBe(bodyText(body));
  expect([...res.body.content.threads].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).toEqual(threadsOf(review));
}

function plainOf(xmlText: Y.XmlText): string {
  return (xmlText.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

function deletePhrase(doc: Y.Doc, phrase: string): void {
  for (const node of bodyFragment(doc).toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText && plainOf(child).includes(phrase)) {
        child.delete(plainOf(child).indexOf(phrase), phrase.length);
        return;
      }
    }
  }
  throw new Error(`"${phrase}" is not in the body`);
}

describe("revisions of a live session", () => {
  it("store what the clients held, compare with the right authors, and a restore reaches every client", async () => {
    const s = await live();
    const { editor, owner, checker, commenter, viewer } = desk.users;
    try {
      const [editorBody, ownerBody, watcherBody] = [await s.open(editor, "body"), await s.open(owner, "body"), await s.open(viewer, "body")];
      const [checkerReview, editorReview, commenterReview, watcherReview] = [
        await s.open(checker, "review"),
        await s.open(editor, "review"),
        await s.open(commenter, "review"),
        await s.open(viewer, "review"),
      ];
      const bodies = [editorBody, ownerBody, watcherBody];
      const reviews = [checkerReview, editorReview, commenterReview, watcherReview];

      // Step 1: the editor writes, the checker flags a claim, the commenter replies.
      insertIntoParagraph(editorBody.doc, 0, 0, "Yesterday ");
      await allHold(editorBody, bodies);
      const claimId = createThread(checkerReview.doc, {
        kind: "claim",
        anchor: anchorOn(watcherBody.doc, CLAIM_PHRASE),
        by: checker.id,
        claim: { claimant: "The minister", appearedIn: "Radio interview", appearedOn: "2024-03-01" },
      });
      await allHold(checkerReview, reviews);
      addMessage(commenterReview.doc, claimId, { by: commenter.id, body: "The ONS says 4 percent.", mentions: [] });
      await allHold(commenterReview, reviews);
      const first = await saveVersion(commenter, s.article.id, "Claim flagged");
      await expectRevisionHolds(s.article.id, first.number, watcherBody.doc, watcherReview.doc);
      expect(first.contributors).toEqual(people(editor, checker, commenter));
      const textAtFirst = bodyText(watcherBody.doc);
      const threadsAtFirst = threadsOf(watcherReview.doc);

      // Step 2: a verdict, evidence, a resolution, and the owner deletes a phrase while the editor adds one.
      updateClaim(checkerReview.doc, claimId, { by: checker.id, patch: { verdict: "false" } });
      await allHold(checkerReview, reviews);
      const evidenceId = addEvidence(editorReview.doc, claimId, { by: editor.id, evidence: EVIDENCE });
      await allHold(editorReview, reviews);
      updateClaim(checkerReview.doc, claimId, { by: checker.id, patch: { verdict: "mostly-false" } });
      setResolved(checkerReview.doc, claimId, { by: checker.id, resolved: true });
      await allHold(checkerReview, reviews);
      deletePhrase(ownerBody.doc, ", the largest drop on record");
      await allHold(ownerBody, bodies);
      insertIntoParagraph(editorBody.doc, 1, Number.MAX_SAFE_INTEGER, " Nobody checked.");
      await allHold(editorBody, bodies);
      const second = await saveVersion(editor, s.article.id, "Verdict agreed");
      await expectRevisionHolds(s.article.id, second.number, watcherBody.doc, watcherReview.doc);
      expect(second.contributors).toEqual(people(editor, owner, checker));

      // The comparison lists exactly what happened between the two, with who did it.
      const diff = await call(getCompare, { as: viewer, params: { id: s.article.id }, query: { from: String(first.number), to: String(second.number) } });
      expect(diff.status).toBe(200);
      const changed = diff.body.paragraphs.map((p: { segments: { kind: string; text: string; by?: string | null }[] }) =>
        p.segments.filter((seg) => seg.kind !== "same"),
      );
      expect(changed).toEqual([
        [{ kind: "delete", text: ", the largest drop on record", by: owner.id }],
        [{ kind: "insert", text: " Nobody checked.", by: editor.id }],
      ]);
      expect(diff.body.annotations).toEqual([
        { kind: "verdict-changed", threadId: claimId, quote: CLAIM_PHRASE, from: null, to: "Mostly false" },
        {
          kind: "evidence-added",
          threadId: claimId,
          quote: CLAIM_PHRASE,
          evidenceId,
          title: EVIDENCE.title,
          url: EVIDENCE.url,
          stance: EVIDENCE.stance,
        },
        { kind: "thread-resolved", threadId: claimId, quote: CLAIM_PHRASE },
      ]);
      expect(diff.body.authors).toEqual(people(editor, owner));

      // Restore the first version: every connected client converges to it, nobody is disconnected.
      const restored = await call(postRestore, { method: "POST", as: editor, params: { id: s.article.id, rev: String(first.number) } });
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.body.after).toMatchObject({ reason: "restore", restoredFromNumber: first.number });
      await eventually(() => {
        for (const client of bodies) expect(bodyText(client.doc), client.user.name).toBe(textAtFirst);
        for (const client of reviews) expect(threadsOf(client.doc), client.user.name).toEqual(threadsAtFirst);
      });
      for (const client of s.clients) expect(client.closes, client.user.name).toEqual([]);
      // The restored claim's passage is found again in the clients' body.
      const thread = readThread(watcherReview.doc, claimId)!;
      expect(resolveAnchorText(watcherBody.doc, thread.anchor)?.text).toBe(CLAIM_PHRASE);
      await expectRevisionHolds(s.article.id, restored.body.after.number, watcherBody.doc, watcherReview.doc);

      // Work goes on after the restore, on top of it.
      insertIntoParagraph(ownerBody.doc, 0, 0, "Update: ");
      await allHold(ownerBody, bodies);
      const third = await saveVersion(owner, s.article.id, "After the restore");
      await expectRevisionHolds(s.article.id, third.number, watcherBody.doc, watcherReview.doc);
      expect(third.contributors).toEqual(people(owner));
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("a restore while someone keeps typing leaves every client and the store on one state", async () => {
    const s = await live();
    const { editor, owner } = desk.users;
    try {
      const typist = await s.open(editor, "body");
      const others = [await s.open(owner, "body"), await s.open(desk.users.viewer, "body")];
      const original = await saveVersion(owner, s.article.id, "Original");
      deletePhrase(typist.doc, "More than 16,000 foreign terrorist fighters from ");
      await allHold(typist, others);

      // The typist goes on writing into the first paragraph while the owner restores.
      let typed = 0;
      const typing = setInterval(() => insertIntoParagraph(typist.doc, 0, 0, `[t${typed++}]`), 15);
      const restoring = call(postRestore, { method: "POST", as: owner, params: { id: s.article.id, rev: String(original.number) } });
      const res = await restoring;
      await new Promise((resolve) => setTimeout(resolve, 100));
      clearInterval(typing);
      expect(res.status, JSON.stringify(res.body)).toBe(200);

      await allHold(typist, others);
      const text = bodyText(typist.doc);
      expect(text).toContain("More than 16,000 foreign terrorist fighters from more than 90 countries");
      // What was typed before the restore read the article is part of what it undid; what was typed
      // after is concurrent with it and kept.
      const before = await call(getRevision, { as: owner, params: { id: s.article.id, rev: String(res.body.before.number) } });
      const undone = (i: number) => before.body.content.text.includes(`[t${i}]`);
      for (let i = 0; i < typed; i++) expect(text.includes(`[t${i}]`), `[t${i}]`).toBe(!undone(i));
      expect(undone(typed - 1)).toBe(false);
      const latest = await saveVersion(owner, s.article.id, "Settled");
      await expectRevisionHolds(s.article.id, latest.number, typist.doc, (await s.open(desk.users.viewer, "review")).doc);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("name as contributors only who wrote, whatever a client puts in its awareness or the document", async () => {
    const s = await live();
    const { editor, owner, checker } = desk.users;
    try {
      const editorBody = await s.open(editor, "body");
      const checkerReview = await s.open(checker, "review");
      const watcherBody = await s.open(desk.users.viewer, "body");
      const watcherReview = await s.open(desk.users.viewer, "review");
      const before = await saveVersion(owner, s.article.id, "Before");

      // Both pretend to be the owner in awareness; the editor also signs the body as the owner.
      editorBody.provider.awareness.setLocalStateField("user", { id: owner.id, name: owner.name, colour: colourFor(owner.id) });
      checkerReview.provider.awareness.setLocalStateField("user", { id: owner.id, name: owner.name });
      editorBody.doc.transact(() => {
        editorBody.doc.getMap("provenance").set("author", owner.id);
        insertIntoParagraph(editorBody.doc, 0, 0, `Edited by ${owner.name}. `);
      });
      createThread(checkerReview.doc, { kind: "claim", anchor: anchorOn(watcherBody.doc, SECOND_CLAIM_PHRASE), by: checker.id });
      await allHold(editorBody, [watcherBody]);
      await allHold(checkerReview, [watcherReview]);

      const after = await saveVersion(owner, s.article.id, "After");
      expect(after.contributors).toEqual(people(editor, checker));
      await expectRevisionHolds(s.article.id, after.number, watcherBody.doc, watcherReview.doc);
      const diff = await call(getCompare, { as: owner, params: { id: s.article.id }, query: { from: String(before.number), to: String(after.number) } });
      const inserted = diff.body.paragraphs[0].segments.filter((seg: { kind: string }) => seg.kind === "insert");
      expect(inserted).toEqual([{ kind: "insert", text: `Edited by ${owner.name}. `, by: editor.id }]);
      expect(diff.body.authors).toEqual(people(editor));
    } finally {
      destroyAll(...s.clients);
    }
  });
});
