"use client";

import { useParams } from "next/navigation";
import { useState } from "react";
import { can } from "@/model/permissions";
import { CLAIM_STATE_LABELS, REVIEW_LIMITS, SETTABLE_CLAIM_STATES, updateClaim, type ClaimFields, type Thread } from "@/model/review";
import { findVerdict } from "@/model/verdict-scale";
import { ClaimHistory } from "../history/claim-history";
import { EvidenceList } from "./evidence-list";
import { memberName, useReviewEnv } from "./review-context";

/** A text field that writes to the document when it loses focus, so typing is not one update per key. */
function LazyField({ label, value, maxLength, multiline, disabled, onCommit }: { label: string; value: string; maxLength: number; multiline?: boolean; disabled: boolean; onCommit: (v: string) => void }) {
  // While focused, the field shows the person's draft; otherwise the document's live value.
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  const common = {
    "aria-label": label,
    value: draft ?? value,
    maxLength,
    disabled,
    onFocus: () => setDraft(value),
    onBlur: commit,
  };
  return (
    <label>
      {label}
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => setDraft(e.target.value)} className="rationale" />
      ) : (
        <input {...common} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === "Enter" && (e.currentTarget as HTMLInputElement).blur()} />
      )}
    </label>
  );
}

/** A claim's fields: who said it and where, the assignee, the workflow state, the verdict and rationale, the evidence. */
export function ClaimPanel({ thread }: { thread: Thread }) {
  const env = useReviewEnv();
  const claim = thread.claim!;
  const editable = can(env.role, "claim:write");
  const set = (patch: Partial<ClaimFields>) => updateClaim(env.doc, thread.id, { by: env.me.id, patch });
  const verdict = findVerdict(env.scale, claim.verdict);
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
          <select aria-label="State" value={claim.state} disabled={!editable || claim.state === "approved"} onChange={(e) => set({ state: e.target.value as ClaimFields["state"] })}>
            {(claim.state === "approved" ? ["approved" as const] : SETTABLE_CLAIM_STATES).map((s) => (
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
            set by {memberName(env.members, claim.verdictBy)} · {verdict.definition}
          </span>
        </p>
      )}
      <LazyField label="Rationale" value={claim.rationale} maxLength={REVIEW_LIMITS.rationaleChars} multiline disabled={!editable} onCommit={(rationale) => set({ rationale })} />
      <EvidenceList thread={thread} editable={editable} />
      {articleId && <ClaimHistory articleId={articleId} claimId={thread.id} scale={env.scale} nameOf={(id) => memberName(env.members, id)} />}
    </div>
  );
}
