import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { USER, actorAs } from "@/model/review/review.test-helpers";
import type { Role } from "@/model/roles";
import { approveSummary, readSummary, sendBackSummary, setSummaryRating, setTakeaway, summaryFragment } from "@/model/summary";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { SummaryGuard } from "./summary-guard";

const CHECKER = USER.me;
const EDITOR = USER.other;

const docs: Y.Doc[] = [];
afterEach(() => {
  docs.splice(0).forEach((d) => d.destroy());
});

function track(doc: Y.Doc): Y.Doc {
  docs.push(doc);
  return doc;
}

/** An empty summary room on the server and its guard. */
function room() {
  const server = track(new Y.Doc());
  return { server, guard: new SummaryGuard(server, () => DEFAULT_VERDICT_SCALE) };
}

/** The update a client synced with `server` sends for whatever `op` does locally. */
function updateFrom(server: Y.Doc, op: (doc: Y.Doc) => void): Uint8Array {
  const doc = track(new Y.Doc());
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  op(doc);
  expect(updates.length).toBeGreaterThan(0);
  return Y.mergeUpdates(updates);
}

function send(r: ReturnType<typeof room>, update: Uint8Array, role: Role, userId: string) {
  const verdict = r.guard.check(update, actorAs(role, userId));
  if (verdict.ok) Y.applyUpdate(r.server, update, "peer");
  return verdict;
}

function paragraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  summaryFragment(doc).insert(summaryFragment(doc).length, [p]);
}

describe("SummaryGuard", () => {
  it("accepts text and a rating from a checker, an approval from another editor, and reports the approval", () => {
    const r = room();
    expect(send(r, updateFrom(r.server, (d) => paragraph(d, "It does not add up.")), "checker", CHECKER)).toEqual({ ok: true, approvals: [] });
    expect(send(r, updateFrom(r.server, (d) => setSummaryRating(d, { by: CHECKER, rating: "false" })), "checker", CHECKER)).toEqual({ ok: true, approvals: [] });
    const approval = updateFrom(r.server, (d) => approveSummary(d, { by: EDITOR }));
    expect(send(r, approval, "editor", EDITOR)).toEqual({ ok: true, approvals: [{ action: "summary.approve", verdict: "false" }] });
    expect(send(r, updateFrom(r.server, (d) => sendBackSummary(d, { by: EDITOR })), "editor", EDITOR)).toEqual({
      ok: true,
      approvals: [{ action: "summary.send_back", verdict: "false" }],
    });
    expect(readSummary(r.server)).toMatchObject({ text: "It does not add up.", rating: "false", ratedBy: CHECKER, approval: null });
  });

  it("refuses the rater's approval and anything outside the layout, leaving the room byte-identical and still working", () => {
    const r = room();
    send(r, updateFrom(r.server, (d) => setSummaryRating(d, { by: EDITOR, rating: "mixed" })), "editor", EDITOR);
    const before = Y.encodeStateAsUpdate(r.server);
    const attempts: [Uint8Array, RegExp][] = [
      [updateFrom(r.server, (d) => approveSummary(d, { by: EDITOR })), /another editor/],
      [updateFrom(r.server, (d) => d.transact(() => {
        paragraph(d, "Fine text");
        d.getMap("notes").set("hidden", true);
      })), /outside the summary/],
      [updateFrom(r.server, (d) => setTakeaway(d, { by: EDITOR, takeaway: "y".repeat(281) })), /takeaway/],
    ];
    for (const [update, reason] of attempts) {
      expect(send(r, update, "editor", EDITOR)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
      expect(Y.encodeStateAsUpdate(r.server)).toEqual(before);
    }
    expect(send(r, updateFrom(r.server, (d) => paragraph(d, "Still open.")), "checker", CHECKER)).toMatchObject({ ok: true });
    expect(readSummary(r.server).text).toBe("Still open.");
  });
});
