"use client";

import type { Thread } from "@/model/review";
import { findVerdict, type VerdictScale } from "@/model/verdict-scale";
import { RelativeTime } from "../ui/relative-time";
import { EvidenceItem } from "../annotations/evidence-item";
import { stateLabel } from "./describe";

/**
 * One thread as a stored revision holds it, read-only: its passage, and when opened the claim's
 * fields (verdict from the desk's scale, rationale, evidence with its stance) and the messages. All
 * of it is rendered as text.
 */
export function ThreadSnapshot({
  thread,
  scale,
  nameOf,
  active,
  orphan,
  onSelect,
}: {
  thread: Thread;
  scale: VerdictScale;
  nameOf: (id: string | null) => string;
  active: boolean;
  orphan: boolean;
  onSelect: () => void;
}) {
  const verdict = findVerdict(scale, thread.claim?.verdict);
  const messages = Object.values(thread.messages).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const evidence = Object.values(thread.evidence ?? {}).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  const claim = thread.claim;
  return (
    <article
      className={`thread-card thread-${thread.kind}${active ? " active" : ""}${thread.resolved ? " resolved" : ""}`}
      data-testid="snapshot-thread"
      data-thread-id={thread.id}
      aria-label={`${thread.kind === "claim" ? "Claim" : "Comment"}: ${thread.anchor.quote.exact.slice(0, 80)}`}
    >
      <button type="button" className="thread-quote" onClick={onSelect} aria-expanded={active}>
        <span className="thread-kind">{thread.kind === "claim" ? "Claim" : "Comment"}</span>
        {verdict ? (
          <span className="verdict-badge" style={{ background: verdict.colour }}>
            {verdict.label}
          </span>
        ) : (
          claim?.verdict && <span className="badge">{claim.verdict}</span>
        )}
        {thread.resolved && <span className="badge">Resolved</span>}
        <q>{thread.anchor.quote.exact}</q>
      </button>
      {orphan && <p className="orphan-note small">This passage is not in the text of this version.</p>}
      {active && (
        <div className="thread-body stack">
          {claim && (
            <div className="stack claim-snapshot">
              <dl className="snapshot-fields small">
                <dt>State</dt>
                <dd>{stateLabel(claim.state)}</dd>
                <dt>Verdict</dt>
                <dd>
                  {verdict ? (
                    <>
                      {verdict.label} <span className="muted">· {verdict.definition}</span>
                    </>
                  ) : (
                    (claim.verdict ?? <span className="muted">No verdict yet</span>)
                  )}
                </dd>
                {claim.verdictBy && (
                  <>
                    <dt>Verdict by</dt>
                    <dd>{nameOf(claim.verdictBy)}</dd>
                  </>
                )}
                <dt>Claimant</dt>
                <dd>{claim.claimant || <span className="muted">—</span>}</dd>
                <dt>Appeared in</dt>
                <dd>
                  {claim.appearedIn || <span className="muted">—</span>}
                  {claim.appearedOn && <span className="muted"> · {claim.appearedOn}</span>}
                </dd>
                <dt>Assignee</dt>
                <dd>{claim.assigneeId ? nameOf(claim.assigneeId) : <span className="muted">Nobody</span>}</dd>
              </dl>
              <section aria-label="Rationale">
                <h4 className="snapshot-heading">Rationale</h4>
                {claim.rationale ? <p className="message-body small">{claim.rationale}</p> : <p className="muted small">None yet.</p>}
              </section>
              <section className="evidence" aria-label="Evidence">
                <h4>Evidence ({evidence.length})</h4>
                {evidence.length > 0 && (
                  <ul className="evidence-list">
                    {evidence.map((e) => (
                      <EvidenceItem key={e.id} evidence={e} addedBy={nameOf(e.addedBy)} />
                    ))}
                  </ul>
                )}
              </section>
            </div>
          )}
          <ol className="messages" aria-label="Messages">
            {messages.map((m) => (
              <li key={m.id} data-testid="message">
                <div className="message-head small">
                  <strong>{nameOf(m.authorId)}</strong> <RelativeTime date={m.createdAt} />
                  {m.editedAt && <span className="muted"> (edited)</span>}
                </div>
                <p className="message-body">{m.body}</p>
              </li>
            ))}
          </ol>
          {messages.length === 0 && <p className="muted small">No messages.</p>}
          <p className="muted small">
            {thread.kind === "claim" ? "Flagged" : "Started"} by {nameOf(thread.createdBy)} <RelativeTime date={thread.createdAt} />
          </p>
        </div>
      )}
    </article>
  );
}
