import type * as Y from "yjs";
import type { Approval } from "../review/schema";
import { summaryFingerprint } from "./approval";
import { readSummaryVerdict, summaryVerdictMap } from "./layout";

/**
 * The only writers of the summary's `verdict` map (the text is written by the Tiptap editor). Each
 * is one transaction the server validates as a whole; `by` is always the signed-in user.
 */

const now = () => new Date().toISOString();

/** Sets (or, with null, clears) the overall rating; records who rated and when. */
export function setSummaryRating(doc: Y.Doc, params: { by: string; rating: string | null }): void {
  const map = summaryVerdictMap(doc);
  if (readSummaryVerdict(doc).rating === params.rating) return;
  doc.transact(() => {
    map.set("rating", params.rating);
    map.set("ratedBy", params.rating === null ? null : params.by);
    map.set("ratedAt", params.rating === null ? null : now());
  });
}

/** Sets the key takeaway (at most SUMMARY_LIMITS.takeawayChars characters). */
export function setTakeaway(doc: Y.Doc, params: { by: string; takeaway: string }): void {
  const map = summaryVerdictMap(doc);
  if (map.get("takeaway") !== params.takeaway) map.set("takeaway", params.takeaway);
}

/** Approves the summary as it stands now (the server accepts this from editors and owners who did not rate it, unless the desk allows that). */
export function approveSummary(doc: Y.Doc, params: { by: string }): void {
  const approval: Approval = { by: params.by, at: now(), covers: summaryFingerprint(doc), verdict: readSummaryVerdict(doc).rating };
  summaryVerdictMap(doc).set("approval", approval);
}

/** Withdraws the summary's approval (editors and owners; the server records who, from the connection). */
export function sendBackSummary(doc: Y.Doc, _params: { by: string }): void {
  summaryVerdictMap(doc).set("approval", null);
}
