"use client";

import { useId, useState } from "react";
import { REVIEW_LIMITS, type ApprovalStatus } from "@/model/review";
import { RelativeTime } from "../ui/relative-time";

interface Props {
  /** What is being approved, for labels: "claim" or "summary". */
  subject: string;
  status: ApprovalStatus;
  /** The approval on record (current or void). */
  approval: { by: string; at: string } | null | undefined;
  nameOf: (id: string | null | undefined) => string;
  /** Whether this person may approve or send back at all (editors and owners). */
  mayApprove: boolean;
  /** Why approving is not possible right now (e.g. "You set this verdict…"), if it is not. */
  blockedReason?: string;
  /** Whether sending back makes sense now (something is in review or approved). */
  canSendBack: boolean;
  /** Whether sending back asks for a comment (claims keep it in their thread). */
  commentOnSendBack: boolean;
  onApprove: () => void;
  onSendBack: (comment: string) => void;
}

/**
 * The approval gate of a claim or of the summary: who approved it and when, or that the approval went
 * void because something changed since; and for editors "Approve" and "Send back…".
 */
export function ApprovalControls({ subject, status, approval, nameOf, mayApprove, blockedReason, canSendBack, commentOnSendBack, onApprove, onSendBack }: Props) {
  const [sending, setSending] = useState(false);
  const [comment, setComment] = useState("");
  const commentId = useId();

  return (
    <div className={`approval approval-${status}`} data-testid="approval" data-status={status}>
      {/* Someone else's approval, or a change that voids it, arrives live; screen readers hear it. */}
      <div aria-live="polite">
        {status === "approved" && approval && (
          <p className="approval-line">
            <span aria-hidden="true">✔</span> Approved by <strong>{nameOf(approval.by)}</strong>, <RelativeTime date={approval.at} />
          </p>
        )}
        {status === "void" && approval && (
          <p className="approval-line">
            <span aria-hidden="true">⚠</span> Approval void: changed since <strong>{nameOf(approval.by)}</strong> approved it (<RelativeTime date={approval.at} />)
          </p>
        )}
        {status === "none" && <p className="approval-line muted">Not approved yet.</p>}
      </div>
      {mayApprove && !sending && (
        <div className="row">
          {status !== "approved" && (
            <button type="button" className="primary" disabled={Boolean(blockedReason)} title={blockedReason} aria-describedby={blockedReason ? `${commentId}-why` : undefined} onClick={onApprove}>
              Approve
            </button>
          )}
          {canSendBack && (
            <button type="button" onClick={() => (commentOnSendBack ? setSending(true) : onSendBack(""))}>
              {commentOnSendBack ? "Send back…" : "Send back"}
            </button>
          )}
        </div>
      )}
      {mayApprove && blockedReason && status !== "approved" && !sending && (
        <p className="muted small" id={`${commentId}-why`} style={{ margin: 0 }}>
          {blockedReason}
        </p>
      )}
      {sending && (
        <form
          className="stack"
          aria-label={`Send the ${subject} back`}
          onSubmit={(e) => {
            e.preventDefault();
            const text = comment.trim();
            if (!text) return;
            onSendBack(text);
            setComment("");
            setSending(false);
          }}
        >
          <label htmlFor={commentId}>What needs another look?</label>
          <textarea id={commentId} rows={2} value={comment} maxLength={REVIEW_LIMITS.messageChars} required autoFocus onChange={(e) => setComment(e.target.value)} style={{ minHeight: 0, fontFamily: "var(--font)" }} />
          <div className="row">
            <button type="submit" className="primary" disabled={!comment.trim()}>
              Send back
            </button>
            <button type="button" onClick={() => setSending(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
