import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { USER, actorAs } from "../review/review.test-helpers";
import type { ReviewActor, ReviewVerdict } from "../review/validate";
import type { Role } from "../roles";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { summaryApprovalStatus, summaryFingerprint } from "./approval";
import { changedSummaryParts } from "./changes";
import { readSummary, readSummaryVerdict, readSummaryVerdictRaw, summaryFragment, summaryVerdictMap } from "./layout";
import { approveSummary, sendBackSummary, setSummaryRating, setTakeaway } from "./operations";
import { SUMMARY_LIMITS } from "./schema";
import { validateSummaryChange } from "./validate";

const CHECKER = USER.me;
const EDITOR = USER.other;
const SECOND_EDITOR = USER.third;

/** Appends a paragraph of text to the summary's write-up, as the editor would. */
function write(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement("paragraph");
  if (text) paragraph.insert(0, [new Y.XmlText(text)]);
  const fragment = summaryFragment(doc);
  fragment.insert(fragment.length, [paragraph]);
}

/** A summary a checker wrote and rated. */
function rated(): Y.Doc {
  const doc = new Y.Doc();
  write(doc, "The minister's figures do not hold up.");
  setTakeaway(doc, { by: CHECKER, takeaway: "Unemployment fell by 4 percent, not 40." });
  setSummaryRating(doc, { by: CHECKER, rating: "mostly-false" });
  return doc;
}

/** What the server's summary guard does, without the server: validates `change` from the state before to the state after. */
function validateLocal(doc: Y.Doc, actor: ReviewActor, change: (doc: Y.Doc) => void, allowSelfApproval = false): ReviewVerdict {
  const before = readSummaryVerdict(doc);
  change(doc);
  return validateSummaryChange(
    before,
    { verdict: readSummaryVerdictRaw(doc), fingerprint: () => summaryFingerprint(doc) },
    { actor, scale: DEFAULT_VERDICT_SCALE, now: new Date(), allowSelfApproval },
  );
}

const as = (role: Role, userId: string) => actorAs(role, userId);

describe("reading the summary", () => {
  it("reads an empty room as no text, no rating and no approval", () => {
    const doc = new Y.Doc();
    expect(readSummary(doc)).toMatchObject({ text: "", rating: null, takeaway: "", ratedBy: null, ratedAt: null, approval: null });
    expect(readSummary(doc).body.type).toBe("doc");
    expect(summaryApprovalStatus(doc)).toBe("none");
  });

  it("reads the text, the takeaway and who rated it", () => {
    const doc = rated();
    const summary = readSummary(doc);
    expect(summary).toMatchObject({ text: "The minister's figures do not hold up.", rating: "mostly-false", takeaway: "Unemployment fell by 4 percent, not 40.", ratedBy: CHECKER });
    expect(Date.parse(summary.ratedAt!)).not.toBeNaN();
    expect(summary.body).toEqual({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "The minister's figures do not hold up." }] }] });
  });

  it("clearing the rating clears who rated it", () => {
    const doc = rated();
    setSummaryRating(doc, { by: EDITOR, rating: null });
    expect(readSummaryVerdict(doc)).toMatchObject({ rating: null, ratedBy: null, ratedAt: null });
  });
});

describe("the summary's approval", () => {
  it("is approved as it stands, and void after a change to the text, the takeaway or the rating", () => {
    const changes: [string, (doc: Y.Doc) => void][] = [
      ["text", (doc) => write(doc, "One more paragraph.")],
      ["takeaway", (doc) => setTakeaway(doc, { by: CHECKER, takeaway: "Reworded." })],
      ["rating", (doc) => setSummaryRating(doc, { by: CHECKER, rating: "false" })],
    ];
    for (const [name, change] of changes) {
      const doc = rated();
      approveSummary(doc, { by: EDITOR });
      expect(readSummaryVerdict(doc).approval).toMatchObject({ by: EDITOR, verdict: "mostly-false", covers: summaryFingerprint(doc) });
      expect(summaryApprovalStatus(doc), name).toBe("approved");
      change(doc);
      expect(summaryApprovalStatus(doc), name).toBe("void");
    }
  });

  it("is not voided by an empty paragraph added to an empty write-up (an editor opening it)", () => {
    const doc = new Y.Doc();
    setSummaryRating(doc, { by: CHECKER, rating: "false" });
    approveSummary(doc, { by: EDITOR });
    const before = summaryFingerprint(doc);
    write(doc, "");
    expect(summaryFingerprint(doc)).toBe(before);
    expect(summaryApprovalStatus(doc)).toBe("approved");
  });

  it("is void after a change merged from an offline copy", () => {
    const doc = rated();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(doc));
    approveSummary(doc, { by: EDITOR });
    write(offline, "Written offline.");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(offline));
    expect(summaryApprovalStatus(doc)).toBe("void");
  });

  it("sending back withdraws it", () => {
    const doc = rated();
    approveSummary(doc, { by: EDITOR });
    sendBackSummary(doc, { by: EDITOR });
    expect(readSummaryVerdict(doc).approval).toBeNull();
    expect(summaryApprovalStatus(doc)).toBe("none");
  });
});

describe("validateSummaryChange", () => {
  it("lets checkers and editors rate and write the takeaway, and nobody below", () => {
    expect(validateLocal(new Y.Doc(), as("checker", CHECKER), (doc) => setSummaryRating(doc, { by: CHECKER, rating: "false" }))).toEqual({ ok: true });
    expect(validateLocal(new Y.Doc(), as("editor", EDITOR), (doc) => setTakeaway(doc, { by: EDITOR, takeaway: "Short." }))).toEqual({ ok: true });
    for (const role of ["viewer", "commenter"] as const) {
      expect(validateLocal(new Y.Doc(), as(role, CHECKER), (doc) => setSummaryRating(doc, { by: CHECKER, rating: "false" }))).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/checkers, editors and owners/),
      });
    }
  });

  it.each<[string, RegExp, (doc: Y.Doc) => void]>([
    ["a rating off the desk's scale", /not on the desk's verdict scale/, (doc) => setSummaryRating(doc, { by: CHECKER, rating: "satire" })],
    ["a rating in another person's name", /own name/, (doc) => setSummaryRating(doc, { by: EDITOR, rating: "false" })],
    ["a rating with no rater", /own name/, (doc) => summaryVerdictMap(doc).set("rating", "false")],
    ["a takeaway that is too long", /takeaway/, (doc) => setTakeaway(doc, { by: CHECKER, takeaway: "x".repeat(SUMMARY_LIMITS.takeawayChars + 1) })],
    ["a key the layout does not have", /Not a valid summary verdict/, (doc) => summaryVerdictMap(doc).set("published", true)],
    ["a Yjs type as a value", /Not a valid summary verdict/, (doc) => summaryVerdictMap(doc).set("takeaway", new Y.Text("typed"))],
    ["a rating dated in the future", /future/, (doc) => doc.transact(() => {
      setSummaryRating(doc, { by: CHECKER, rating: "false" });
      summaryVerdictMap(doc).set("ratedAt", new Date(Date.now() + 3_600_000).toISOString());
    })],
  ])("refuses %s", (_name, reason, change) => {
    expect(validateLocal(new Y.Doc(), as("checker", CHECKER), change)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it("accepts a takeaway of exactly the limit", () => {
    expect(validateLocal(new Y.Doc(), as("checker", CHECKER), (doc) => setTakeaway(doc, { by: CHECKER, takeaway: "x".repeat(SUMMARY_LIMITS.takeawayChars) }))).toEqual({ ok: true });
  });

  it("lets an editor other than the rater approve, and refuses the rater unless the desk allows it", () => {
    expect(validateLocal(rated(), as("editor", EDITOR), (doc) => approveSummary(doc, { by: EDITOR }))).toEqual({ ok: true });
    const own = () => {
      const doc = rated();
      setSummaryRating(doc, { by: EDITOR, rating: "false" });
      return doc;
    };
    expect(validateLocal(own(), as("editor", EDITOR), (doc) => approveSummary(doc, { by: EDITOR }))).toMatchObject({ ok: false, reason: expect.stringMatching(/another editor/) });
    expect(validateLocal(own(), as("editor", EDITOR), (doc) => approveSummary(doc, { by: EDITOR }), true)).toEqual({ ok: true });
  });

  it("refuses an approval by a checker, one without a rating, and one that covers something else", () => {
    expect(validateLocal(rated(), as("checker", SECOND_EDITOR), (doc) => approveSummary(doc, { by: SECOND_EDITOR }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/editors and owners may approve/),
    });
    const unrated = new Y.Doc();
    write(unrated, "Text but no rating.");
    expect(validateLocal(unrated, as("editor", EDITOR), (doc) => approveSummary(doc, { by: EDITOR }))).toMatchObject({ ok: false, reason: expect.stringMatching(/set one first/) });
    const stale = rated();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(stale));
    approveSummary(offline, { by: EDITOR });
    const approval = readSummaryVerdict(offline).approval;
    write(stale, "A paragraph the approver never saw.");
    expect(validateLocal(stale, as("editor", EDITOR), (doc) => summaryVerdictMap(doc).set("approval", approval))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
  });

  it("lets only editors and owners send it back", () => {
    const approved = () => {
      const doc = rated();
      approveSummary(doc, { by: EDITOR });
      return doc;
    };
    expect(validateLocal(approved(), as("checker", CHECKER), (doc) => sendBackSummary(doc, { by: CHECKER }))).toMatchObject({ ok: false, reason: expect.stringMatching(/send back/) });
    expect(validateLocal(approved(), as("owner", SECOND_EDITOR), (doc) => sendBackSummary(doc, { by: SECOND_EDITOR }))).toEqual({ ok: true });
  });

  it("lets a checker change an approved summary, which voids the approval", () => {
    const doc = rated();
    approveSummary(doc, { by: EDITOR });
    expect(validateLocal(doc, as("checker", CHECKER), (d) => setTakeaway(d, { by: CHECKER, takeaway: "Changed after approval." }))).toEqual({ ok: true });
    expect(summaryApprovalStatus(doc)).toBe("void");
  });
});

describe("changedSummaryParts", () => {
  function touched(doc: Y.Doc, change: (doc: Y.Doc) => void) {
    const parts = { text: false, verdict: false, outsideShape: false };
    const record = (t: Y.Transaction) => {
      const c = changedSummaryParts(t);
      parts.text ||= c.text;
      parts.verdict ||= c.verdict;
      parts.outsideShape ||= c.outsideShape;
    };
    doc.on("afterTransaction", record);
    change(doc);
    doc.off("afterTransaction", record);
    return parts;
  }

  it("tells the write-up, the verdict map and anything else apart", () => {
    const doc = rated();
    expect(touched(doc, (d) => write(d, "More."))).toEqual({ text: true, verdict: false, outsideShape: false });
    const xmlText = (summaryFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(touched(doc, () => xmlText.insert(0, "Edited: "))).toEqual({ text: true, verdict: false, outsideShape: false });
    expect(touched(doc, (d) => setTakeaway(d, { by: CHECKER, takeaway: "New." }))).toEqual({ text: false, verdict: true, outsideShape: false });
    expect(touched(doc, (d) => d.getMap("notes").set("x", 1))).toEqual({ text: false, verdict: false, outsideShape: true });
    const nested = new Y.Map<unknown>();
    summaryVerdictMap(doc).set("nested", nested);
    expect(touched(doc, () => nested.set("x", 1))).toEqual({ text: false, verdict: false, outsideShape: true });
  });
});
