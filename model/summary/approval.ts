import type * as Y from "yjs";
import { bodyToJson } from "../article-doc";
import { docToPlainText } from "../editor-extensions";
import { fingerprintOf, type ApprovalStatus } from "../review/approval";
import { readSummaryVerdict } from "./layout";

/**
 * A digest of what an approval of the summary vouches for: the write-up (as ProseMirror JSON, so a
 * changed link or emphasis counts), the rating and the takeaway. A write-up with no text at all
 * counts as none, so an editor that adds an empty paragraph when it first opens an empty summary
 * voids nothing.
 */
export function summaryFingerprint(doc: Y.Doc): string {
  const body = bodyToJson(doc);
  const { rating, takeaway } = readSummaryVerdict(doc);
  return fingerprintOf(["summary", docToPlainText(body).trim() ? body : null, rating, takeaway]);
}

/** "approved" while the summary's approval covers it exactly; "void" once anything it covers changed; "none" without one. */
export function summaryApprovalStatus(doc: Y.Doc): ApprovalStatus {
  const { approval } = readSummaryVerdict(doc);
  if (!approval) return "none";
  return approval.covers === summaryFingerprint(doc) ? "approved" : "void";
}
