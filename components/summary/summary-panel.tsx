"use client";

import { useId } from "react";
import { can } from "@/model/permissions";
import type { Role } from "@/model/roles";
import { canWriteRoom } from "@/model/rooms";
import { approveSummary, sendBackSummary, setSummaryRating, setTakeaway, SUMMARY_LIMITS } from "@/model/summary";
import { findVerdict, type VerdictScale } from "@/model/verdict-scale";
import { ApprovalControls } from "../annotations/approval-controls";
import { memberName, type DeskMember } from "../annotations/review-context";
import { ArticleEditor } from "../editor/article-editor";
import type { RoomSession } from "../editor/use-collab-session";
import { LazyField } from "../ui/lazy-field";
import { useSummary } from "./use-summary";

interface Props {
  room: RoomSession;
  user: { id: string; name: string; color: string };
  role: Role;
  /** False when the session has stopped; nothing may be typed then. */
  live: boolean;
  members: DeskMember[];
  scale: VerdictScale;
  allowSelfApproval: boolean;
}

/**
 * The desk's verdict on the article as a whole, written together live in the article's `summary`
 * room: a short rich-text write-up, the key takeaway and the overall rating, and the same approval
 * gate as a claim. Checkers and up write it; everyone else reads it.
 */
export function SummaryPanel({ room, user, role, live, members, scale, allowSelfApproval }: Props) {
  const summary = useSummary(room.doc);
  const writable = canWriteRoom(role, "summary") && live;
  const headingId = useId();
  const rating = findVerdict(scale, summary.rating);
  const nameOf = (id: string | null | undefined) => memberName(members, id);
  const ownRating = summary.ratedBy === user.id && !allowSelfApproval;
  const empty = !summary.rating && !summary.takeaway.trim() && !summary.text.trim();

  return (
    <section className="summary-panel card stack" aria-labelledby={headingId} data-testid="summary-panel">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={headingId} style={{ margin: 0, fontSize: 18 }}>
          The desk’s summary
        </h2>
        {!canWriteRoom(role, "summary") && <span className="badge">Read-only</span>}
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        Leads the published page: the overall rating, the key takeaway, and a short write-up.
      </p>
      {room.ready ? (
        <>
          <div className="grid-2">
            <label>
              Overall rating
              <select aria-label="Overall rating" value={summary.rating ?? ""} disabled={!writable} onChange={(e) => setSummaryRating(room.doc, { by: user.id, rating: e.target.value || null })}>
                <option value="">No rating yet</option>
                {scale.map((v) => (
                  <option key={v.key} value={v.key}>
                    {v.label}
                  </option>
                ))}
              </select>
            </label>
            <div className="small summary-rating">
              {rating ? (
                <>
                  <span className="verdict-badge" style={{ background: rating.colour }}>
                    {rating.label}
                  </span>{" "}
                  <span className="muted">
                    rated by {nameOf(summary.ratedBy)} · {rating.definition}
                  </span>
                </>
              ) : (
                <span className="muted">No overall rating yet.</span>
              )}
            </div>
          </div>
          <LazyField label="Key takeaway" value={summary.takeaway} maxLength={SUMMARY_LIMITS.takeawayChars} disabled={!writable} onCommit={(takeaway) => setTakeaway(room.doc, { by: user.id, takeaway })} />
          <div className="summary-editor">
            <span className="field-label" aria-hidden="true">
              Write-up
            </span>
            <ArticleEditor
              doc={room.doc}
              provider={room.provider}
              editable={writable}
              user={{ name: user.name, color: user.color }}
              label="Summary text"
              testId="summary-editor"
              className="summary-body"
              toolbarLabel="Summary text style"
            />
          </div>
          <ApprovalControls
            subject="summary"
            status={summary.status}
            approval={summary.approval}
            nameOf={nameOf}
            mayApprove={can(role, "claim:approve") && live}
            blockedReason={empty ? "Write the summary before approving it." : !summary.rating ? "Pick an overall rating before approving." : ownRating ? "You picked this rating; another editor approves it." : undefined}
            canSendBack={summary.status !== "none"}
            commentOnSendBack={false}
            onApprove={() => approveSummary(room.doc, { by: user.id })}
            onSendBack={() => sendBackSummary(room.doc, { by: user.id })}
          />
        </>
      ) : (
        <p className="muted small" role="status">
          Loading the summary…
        </p>
      )}
    </section>
  );
}
