import type * as Y from "yjs";
import type { ReviewActor } from "@/model/review";
import { approvalTransition } from "@/model/review";
import {
  changedSummaryParts,
  readSummaryVerdict,
  readSummaryVerdictRaw,
  summaryFingerprint,
  summaryFragment,
  summaryVerdictMap,
  validateSummaryChange,
  type SummaryChanges,
} from "@/model/summary";
import type { VerdictScale } from "@/model/verdict-scale";
import { ShadowGuard, type ApprovalEvent, type GuardVerdict } from "./guard";

/**
 * Validates updates to a `summary` room: the write-up is free rich text for its writers (the
 * connection has already checked the role), the `verdict` map is checked as a whole from its state
 * before (the room) to after (the shadow), and nothing else may appear in the document.
 */
export class SummaryGuard extends ShadowGuard<SummaryChanges> {
  constructor(
    doc: Y.Doc,
    private readonly scale: () => VerdictScale,
    private readonly allowSelfApproval: () => boolean = () => false,
  ) {
    super(doc);
  }

  protected prepare(shadow: Y.Doc): void {
    summaryFragment(shadow);
    summaryVerdictMap(shadow);
  }

  protected noChanges(): SummaryChanges {
    return { text: false, verdict: false, outsideShape: false };
  }

  protected record(changes: SummaryChanges, transaction: Y.Transaction): void {
    const c = changedSummaryParts(transaction);
    changes.text ||= c.text;
    changes.verdict ||= c.verdict;
    changes.outsideShape ||= c.outsideShape;
  }

  protected validate(changes: SummaryChanges, actor: ReviewActor): GuardVerdict {
    if (changes.outsideShape) return { ok: false, reason: "The update changes something outside the summary." };
    if (!changes.verdict) return { ok: true, approvals: [] };
    const ctx = { actor, scale: this.scale(), now: new Date(), allowSelfApproval: this.allowSelfApproval() };
    const before = readSummaryVerdict(this.doc);
    const verdict = validateSummaryChange(before, { verdict: readSummaryVerdictRaw(this.shadow), fingerprint: () => summaryFingerprint(this.shadow) }, ctx);
    if (!verdict.ok) return verdict;
    const after = readSummaryVerdict(this.shadow);
    const transition = approvalTransition(before.approval, after.approval);
    const approvals: ApprovalEvent[] = transition
      ? [{ action: transition === "approve" ? "summary.approve" : "summary.send_back", verdict: transition === "approve" ? (after.approval?.verdict ?? null) : after.rating }]
      : [];
    return { ok: true, approvals };
  }
}
