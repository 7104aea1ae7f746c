import { toHexString } from "lib0/buffer";
import { digest } from "lib0/hash/sha256";
import type { Approval, ClaimState, Thread } from "./schema";

/** Whether a claim (or the summary) carries an approval, and whether it still covers what is there now. */
export type ApprovalStatus = "none" | "approved" | "void";

// Bumped if what a fingerprint covers ever changes, so that old approvals read as void rather than
// as covering something they never saw.
const FINGERPRINT_VERSION = "v1";

/** A stable digest of a canonical JSON value, prefixed with the fingerprint's version. */
export function fingerprintOf(value: unknown): string {
  return `${FINGERPRINT_VERSION}:${toHexString(digest(new TextEncoder().encode(JSON.stringify(value))))}`;
}

/**
 * A digest of what an approval vouches for: the claim's verdict, its rationale and its evidence
 * (ordered by id, so the order the entries were merged in does not matter). Who added what, and
 * when, is left out: it cannot change, and the approver did not judge it.
 */
export function claimFingerprint(thread: Thread): string {
  const claim = thread.claim;
  const evidence = Object.values(thread.evidence ?? {})
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => [e.url, e.title, e.publisher, e.stance, e.note]);
  return fingerprintOf(["claim", claim?.verdict ?? null, claim?.rationale ?? "", evidence]);
}

/**
 * "approved" while the claim's approval covers it exactly and the claim still stands approved;
 * "void" once a later change (made here, or offline and merged later) altered what was approved, or
 * the claim was moved out of "approved"; "none" without an approval.
 */
export function approvalStatus(thread: Thread): ApprovalStatus {
  const approval = thread.claim?.approval;
  if (!approval) return "none";
  return approval.covers === claimFingerprint(thread) && thread.claim?.state === "approved" ? "approved" : "void";
}

/**
 * The state a claim really is in: "approved" only while its approval holds; a claim marked approved
 * whose approval went void is back "in review". (A comment thread, which has no state, reads as open.)
 */
export function effectiveClaimState(thread: Thread): ClaimState {
  const state = thread.claim?.state ?? "open";
  if (state === "approved" && approvalStatus(thread) !== "approved") return "in_review";
  return state;
}

/**
 * What a change did to an approval: "approve" when one was given (or replaced by a new one), "send_back"
 * when one was withdrawn; null otherwise. The server records the first two in the audit log.
 */
export function approvalTransition(before: Approval | null | undefined, after: Approval | null | undefined): "approve" | "send_back" | null {
  if (after && (!before || before.by !== after.by || before.at !== after.at || before.covers !== after.covers || before.verdict !== after.verdict)) return "approve";
  if (before && !after) return "send_back";
  return null;
}
