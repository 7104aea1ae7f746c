import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { POST as postTicket } from "@/app/api/articles/[id]/collab-ticket/route";
import { listAuditEvents } from "@/db/queries/audit";
import { listRevisions } from "@/db/queries/revisions";
import { roomName } from "@/model/rooms";
import {
  approveSummary,
  readSummary,
  sendBackSummary,
  setSummaryRating,
  setTakeaway,
  summaryApprovalStatus,
  summaryFragment,
} from "@/model/summary";
import { call, createDesk, type TestDesk } from "../../support/api";
import { connectClient, createTextArticle, destroyAll, eventually, logAuthors, startCollab, storedDoc, type CollabHarness, type TestClient } from "../../support/collab";
import { refusal } from "../../support/review";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let server: CollabHarness;
let desk: TestDesk;

const summaryRef = (articleId: string) => ({ articleId, room: "summary" as const });

beforeAll(async () => {
  server = await startCollab({ db: app.db });
  desk = await createDesk(app, "Summary Desk");
});

afterAll(async () => {
  await server?.close();
});

/** Appends a paragraph to the write-up, as the editor does. */
function writeParagraph(doc: Y.Doc, text: string): void {
  const fragment = summaryFragment(doc);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

async function storedSummary(articleId: string) {
  const doc = await storedDoc(app.db, summaryRef(articleId));
  try {
    return { ...readSummary(doc), status: summaryApprovalStatus(doc) };
  } finally {
    doc.destroy();
  }
}

describe("the summary room", () => {
  it("is named in the collaboration ticket", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Some text." });
    const res = await call(postTicket, { method: "POST", as: desk.users.viewer, params: { id: article.id } });
    expect(res.status).toBe(200);
    expect(res.body.rooms).toEqual({ body: roomName(article.id, "body"), review: roomName(article.id, "review"), summary: roomName(article.id, "summary") });
  });

  it("checkers write it live, commenters only read it, another editor approves it, and an edit voids the approval", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "The minister said unemployment fell by 40 percent." });
    const clients: TestClient[] = [];
    const open = async (user: (typeof desk.users)[keyof typeof desk.users]) => {
      const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "summary", user });
      clients.push(client);
      return client;
    };
    try {
      const [checker, editor, commenter, approver] = [await open(desk.users.checker), await open(desk.users.editor), await open(desk.users.commenter), await open(desk.users.owner)];

      // The checker writes the text and the rating; everyone sees them, and they are stored.
      writeParagraph(checker.doc, "The figures do not hold up: unemployment fell by 4 percent.");
      setSummaryRating(checker.doc, { by: desk.users.checker.id, rating: "mostly-false" });
      setTakeaway(editor.doc, { by: desk.users.editor.id, takeaway: "A tenfold exaggeration." });
      for (const client of [checker, editor, commenter, approver]) {
        await eventually(() =>
          expect(readSummary(client.doc)).toMatchObject({
            text: "The figures do not hold up: unemployment fell by 4 percent.",
            rating: "mostly-false",
            ratedBy: desk.users.checker.id,
            takeaway: "A tenfold exaggeration.",
          }),
        );
      }
      await eventually(async () => expect(await storedSummary(article.id)).toMatchObject({ rating: "mostly-false", takeaway: "A tenfold exaggeration.", status: "none" }), 10_000, 100);

      // A commenter's writes are answered with permission denied and go nowhere; the connection stays.
      writeParagraph(commenter.doc, "Commenter text.");
      await eventually(() => expect(commenter.denied).toHaveLength(1));
      setSummaryRating(commenter.doc, { by: desk.users.commenter.id, rating: "true" });
      await eventually(() => expect(commenter.denied).toHaveLength(2));
      expect(commenter.denied[0]).toMatch(/commenter/);
      expect(commenter.closes).toEqual([]);

      // The rater may not approve; an editor who did not rate it may.
      const raterApproves = await open(desk.users.checker);
      approveSummary(raterApproves.doc, { by: desk.users.checker.id });
      expect((await refusal(raterApproves)).reason).toMatch(/editors and owners may approve/);
      approveSummary(approver.doc, { by: desk.users.owner.id });
      for (const client of [checker, editor]) await eventually(() => expect(summaryApprovalStatus(client.doc)).toBe("approved"));
      await eventually(async () => expect(await storedSummary(article.id)).toMatchObject({ status: "approved", approval: { by: desk.users.owner.id, verdict: "mostly-false" } }), 10_000, 100);
      const stored = await storedSummary(article.id);
      expect(stored.text).not.toContain("Commenter");
      expect(stored.rating).toBe("mostly-false");
      expect(await logAuthors(app.db, summaryRef(article.id))).not.toContain(desk.users.commenter.id);

      await eventually(async () => {
        const events = await listAuditEvents(app.db, { teamId: desk.team.id, action: "summary.approve", limit: 10 });
        expect(events.filter((e) => e.targetId === article.id)).toMatchObject([{ actorId: desk.users.owner.id, targetType: "article", data: { verdict: "mostly-false" } }]);
      }, 10_000, 100);
      await eventually(async () => {
        const revisions = await listRevisions(app.db, { teamId: desk.team.id, articleId: article.id, limit: 10 });
        expect(revisions.filter((r) => r.reason === "approval")).toMatchObject([{ kind: "system", createdBy: desk.users.owner.id }]);
      }, 10_000, 100);

      // An edit of the text voids the approval, for everyone and in the store.
      writeParagraph(editor.doc, "Update: the ministry has since corrected its release.");
      for (const client of [checker, editor, approver]) await eventually(() => expect(summaryApprovalStatus(client.doc)).toBe("void"));
      await eventually(async () => expect((await storedSummary(article.id)).status).toBe("void"), 10_000, 100);

      // And only editors and owners send it back.
      sendBackSummary(approver.doc, { by: desk.users.owner.id });
      await eventually(() => expect(summaryApprovalStatus(checker.doc)).toBe("none"));
      await eventually(async () => {
        const events = await listAuditEvents(app.db, { teamId: desk.team.id, action: "summary.send_back", limit: 10 });
        expect(events.filter((e) => e.targetId === article.id)).toMatchObject([{ actorId: desk.users.owner.id }]);
      }, 10_000, 100);
      for (const client of [checker, editor, approver]) expect(client.closes).toEqual([]);
    } finally {
      destroyAll(...clients);
    }
  });

  it("refuses anything outside the write-up and the verdict map", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Text." });
    const clients: TestClient[] = [];
    try {
      const editor = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "summary", user: desk.users.editor });
      clients.push(editor);
      editor.doc.getMap("notes").set("hidden", "not part of the layout");
      expect((await refusal(editor)).reason).toMatch(/outside the summary/);
      const checker = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "summary", user: desk.users.checker });
      clients.push(checker);
      setTakeaway(checker.doc, { by: desk.users.checker.id, takeaway: "Marker." });
      await eventually(async () => expect((await storedSummary(article.id)).takeaway).toBe("Marker."), 10_000, 100);
      const doc = await storedDoc(app.db, summaryRef(article.id));
      expect(doc.share.has("notes") ? doc.getMap("notes").size : 0).toBe(0);
      doc.destroy();
    } finally {
      destroyAll(...clients);
    }
  });
});
