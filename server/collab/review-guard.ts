import * as Y from "yjs";
import {
  approvalTransition,
  changedThreads,
  readThread,
  readThreadRaw,
  threadsMap,
  validateThreadChange,
  type ReviewActor,
  type ReviewChanges,
  type Thread,
} from "@/model/review";
import type { VerdictScale } from "@/model/verdict-scale";
import { ShadowGuard, type ApprovalEvent, type GuardVerdict } from "./guard";

/** The longest quote an audit event carries. */
const AUDIT_QUOTE_CHARS = 200;

/**
 * Validates updates to a `review` room before they count: the threads an update touched are read
 * before (from the room) and after (from the shadow) and checked one by one. Approvals given or
 * withdrawn are reported with the verdict, for the audit log.
 */
export class ReviewGuard extends ShadowGuard<ReviewChanges> {
  constructor(
    doc: Y.Doc,
    private readonly scale: () => VerdictScale,
    private readonly allowSelfApproval: () => boolean = () => false,
  ) {
    super(doc);
  }

  protected prepare(shadow: Y.Doc): void {
    threadsMap(shadow);
  }

  protected noChanges(): ReviewChanges {
    return { threadIds: new Set(), outsideShape: false };
  }

  protected record(changes: ReviewChanges, transaction: Y.Transaction): void {
    const c = changedThreads(transaction);
    c.threadIds.forEach((id) => changes.threadIds.add(id));
    changes.outsideShape ||= c.outsideShape;
  }

  protected validate(changes: ReviewChanges, actor: ReviewActor): GuardVerdict {
    if (changes.outsideShape) return { ok: false, reason: "The update changes something outside the review threads." };
    const ctx = { actor, scale: this.scale(), now: new Date(), allowSelfApproval: this.allowSelfApproval() };
    const approvals: ApprovalEvent[] = [];
    const threads = threadsMap(this.shadow);
    for (const id of changes.threadIds) {
      const afterMap = threads.get(id);
      // A key holding `undefined` is still there: only a missing key is a deleted thread.
      const after = afterMap instanceof Y.Map ? readThreadRaw(afterMap) : threads.has(id) ? { "!": "not a Y.Map" } : undefined;
      const before = readThread(this.doc, id);
      const verdict = validateThreadChange(id, before, after, ctx);
      if (!verdict.ok) return verdict;
      // `after` has just passed the strict schema, so it can be read as a thread without parsing it again.
      if (before?.claim && after) {
        const event = approvalEvent(before, after as Thread);
        if (event) approvals.push(event);
      }
    }
    return { ok: true, approvals };
  }
}

function approvalEvent(before: Thread, after: Thread): ApprovalEvent | undefined {
  if (!after.claim) return undefined;
  const transition = approvalTransition(before.claim?.approval, after.claim.approval);
  if (!transition) return undefined;
  return {
    action: transition === "approve" ? "claim.approve" : "claim.send_back",
    threadId: after.id,
    quote: after.anchor.quote.exact.slice(0, AUDIT_QUOTE_CHARS),
    verdict: transition === "approve" ? (after.claim.approval?.verdict ?? null) : after.claim.verdict,
  };
}
