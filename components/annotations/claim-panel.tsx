"use client";

import { useParams } from "next/navigation";
import { can } from "@/model/permissions";
import {
  approvalStatus,
  approveClaim,
  CLAIM_STATE_LABELS,
  effectiveClaimState,
  REVIEW_LIMITS,
  sendBackClaim,
  SETTABLE_CLAIM_STATES,
  updateClaim,
  type ClaimFields,
  type Thread,
} from "@/model/review";
import { findVerdict } from "@/model/verdict-scale";
import { ClaimHistory } from "../history/claim-history";
import { LazyField } from "../ui/lazy-field";
import { ApprovalControls } from "./approval-controls";
import { EvidenceList } from "./evidence-list";
import { memberName, useReviewEnv } from "./review-context";

/** A claim's fields: who said it and where, the assignee, the workflow state, the verdict and rationale, the evidence. */
export function ClaimPanel({ thread }: { thread: Thread }) {
  const env = useReviewEnv();
  const claim = thread.claim!;
  const editable = can(env.role, "claim:write");
  const set = (patch: Partial<ClaimFields>) => updateClaim(env.doc, thread.id, { by: env.me.id, patch });
  const verdict = findVerdict(env.scale, claim.verdict);
  const state = effectiveClaimState(thread);
  const approval = approvalStatus(thread);
  const mayApprove = can(env.role, "claim:approve");
  const ownVerdict = claim.verdictBy === env.me.id && !env.allowSelfApproval;
  // The panel lives on the article's page; its address names the article whose history to ask for.
  const { articleId } = useParams<{ articleId?: string }>();

  return (
    <div className="claim-panel stack">
      <div className="grid-2">
        <LazyField label="Claimant" value={claim.claimant} maxLength={REVIEW_LIMITS.claimantChars} disabled={!editable} onCommit={(claimant) => set({ claimant })} />
        <LazyField label="Appeared in" value={claim.appearedIn} maxLength={REVIEW_LIMITS.appearedInChars} disabled={!editable} onCommit={(appearedIn) => set({ appearedIn })} />
        <label>
          Appeared on
          <input type="date" aria-label="Appeared on" value={claim.appearedOn} disabled={!editable} onChange={(e) => set({ appearedOn: e.target.value })} />
        </label>
        <label>
          Assignee
          <select aria-label="Assignee" value={claim.assigneeId ?? ""} disabled={!editable} onChange={(e) => set({ assigneeId: e.target.value || null })}>
            <option value="">Nobody</option>
            {env.members
              .filter((m) => can(m.role, "claim:write"))
              .map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          State
          {/* An approved claim leaves that state only by being sent back or changed; the effective
              state already reads a voided approval as "in review". */}
          <select aria-label="State" value={state} disabled={!editable || state === "approved"} onChange={(e) => set({ state: e.target.value as ClaimFields["state"] })}>
            {(state === "approved" ? ["approved" as const] : SETTABLE_CLAIM_STATES).map((s) => (
              <option key={s} value={s}>
                {CLAIM_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Verdict
          <select aria-label="Verdict" value={claim.verdict ?? ""} disabled={!editable} onChange={(e) => set({ verdict: e.target.value || null })}>
            <option value="">No verdict yet</option>
            {env.scale.map((v) => (
              <option key={v.key} value={v.key}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {verdict && (
        <p className="small verdict-line">
          <span className="verdict-badge" style={{ background: verdict.colour }}>
            {verdict.label}
          </span>{" "}
          <span className="muted">
            set by {memberName(env.members, claim.verdictBy, env.guest)} · {verdict.definition}
          </span>
        </p>
      )}
      <LazyField label="Rationale" value={claim.rationale} maxLength={REVIEW_LIMITS.rationaleChars} multiline disabled={!editable} onCommit={(rationale) => set({ rationale })} />
      <EvidenceList thread={thread} editable={editable} />
      <ApprovalControls
        subject="claim"
        status={approval}
        approval={claim.approval}
        nameOf={(id) => memberName(env.members, id, env.guest)}
        mayApprove={mayApprove}
        blockedReason={!claim.verdict ? "Set a verdict before approving." : ownVerdict ? "You set this verdict; another editor approves it." : undefined}
        canSendBack={state === "in_review" || state === "approved"}
        commentOnSendBack
        onApprove={() => approveClaim(env.doc, thread.id, { by: env.me.id })}
        onSendBack={(comment) => sendBackClaim(env.doc, thread.id, { by: env.me.id, comment })}
      />
      {articleId && can({ role: env.role, guest: env.guest }, "revision:view") && <ClaimHistory articleId={articleId} claimId={thread.id} scale={env.scale} nameOf={(id) => memberName(env.members, id, env.guest)} />}
    </div>
  );
}
