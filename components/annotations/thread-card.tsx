"use client";

import { useState } from "react";
import { can } from "@/model/permissions";
import { addMessage, canDeleteThread, CLAIM_STATE_LABELS, deleteMessage, deleteThread, editMessage, effectiveClaimState, reanchor, setResolved, type Thread } from "@/model/review";
import { findVerdict } from "@/model/verdict-scale";
import { RelativeTime } from "../ui/relative-time";
import { ClaimPanel } from "./claim-panel";
import { MessageComposer } from "./message-composer";
import { memberName, useReviewEnv } from "./review-context";

/** Renders a message body as text, with mentions emphasised; never as HTML. */
function MessageBody({ body, names }: { body: string; names: string[] }) {
  if (!names.length) return <p className="message-body">{body}</p>;
  const pattern = new RegExp(`(${names.map((n) => `@${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).join("|")})`, "g");
  return (
    <p className="message-body">
      {body.split(pattern).map((part, i) =>
        i % 2 ? (
          <strong key={i} className="mention">
            {part}
          </strong>
        ) : (
          part
        ),
      )}
    </p>
  );
}

/** One thread: its passage, its messages, and for claims the claim panel. */
export function ThreadCard({ thread, orphan, active, onSelect }: { thread: Thread; orphan: boolean; active: boolean; onSelect: () => void }) {
  const env = useReviewEnv();
  const [editing, setEditing] = useState<string | null>(null);
  const messages = Object.values(thread.messages).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const canComment = can(env.role, "comment:write");
  const writeAction = thread.kind === "claim" ? "claim:write" : "comment:write";
  const mine = thread.createdBy === env.me.id;
  const canDelete = canDeleteThread(thread, { userId: env.me.id, role: env.role });
  const verdict = findVerdict(env.scale, thread.claim?.verdict);
  const state = thread.claim ? effectiveClaimState(thread) : null;
  const mentionedNames = env.members.map((m) => m.name);

  return (
    <article
      className={`thread-card thread-${thread.kind}${active ? " active" : ""}${thread.resolved ? " resolved" : ""}`}
      data-testid="thread"
      data-thread-id={thread.id}
      aria-label={`${thread.kind === "claim" ? "Claim" : "Comment"}: ${thread.anchor.quote.exact.slice(0, 80)}`}
    >
      <button type="button" className="thread-quote" onClick={onSelect} aria-expanded={active}>
        <span className="thread-kind">{thread.kind === "claim" ? "Claim" : "Comment"}</span>
        {verdict && (
          <span className="verdict-badge" style={{ background: verdict.colour }}>
            {verdict.label}
          </span>
        )}
        {state && state !== "open" && (
          <span className={`state-badge state-${state}`} data-testid="claim-state">
            {CLAIM_STATE_LABELS[state]}
          </span>
        )}
        {thread.resolved && <span className="badge">Resolved</span>}
        <q>{thread.anchor.quote.exact}</q>
      </button>
      {orphan && (
        <div className="orphan-note small">
          The passage was deleted. Context: “…{thread.anchor.quote.prefix}
          <mark>{thread.anchor.quote.exact}</mark>
          {thread.anchor.quote.suffix}…”
          {(mine || can(env.role, "claim:write")) && (
            <button
              type="button"
              disabled={!env.hasSelection}
              title={env.hasSelection ? undefined : "Select the new passage in the article first"}
              onClick={() => {
                const anchor = env.anchorFromSelection();
                if (anchor) reanchor(env.doc, thread.id, anchor);
              }}
            >
              Re-anchor to selection
            </button>
          )}
        </div>
      )}
      {active && (
        <div className="thread-body stack">
          {thread.kind === "claim" && <ClaimPanel thread={thread} />}
          <ol className="messages" aria-label="Messages">
            {messages.map((m) => (
              <li key={m.id} data-testid="message">
                <div className="message-head small">
                  <strong>{memberName(env.members, m.authorId, env.guest)}</strong> <RelativeTime date={m.createdAt} />
                  {m.editedAt && <span className="muted"> (edited)</span>}
                </div>
                {editing === m.id ? (
                  <MessageComposer
                    members={env.members}
                    placeholder="Edit message"
                    submitLabel="Save"
                    initial={m.body}
                    autoFocus
                    onSubmit={(body, mentions) => {
                      editMessage(env.doc, thread.id, m.id, { body, mentions });
                      setEditing(null);
                    }}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <MessageBody body={m.body} names={mentionedNames} />
                )}
                {m.authorId === env.me.id && canComment && editing !== m.id && (
                  <div className="row small">
                    <button type="button" className="linkish" onClick={() => setEditing(m.id)}>
                      Edit
                    </button>
                    <button type="button" className="linkish" onClick={() => deleteMessage(env.doc, thread.id, m.id)}>
                      Delete
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ol>
          {canComment && !thread.resolved && (
            <MessageComposer
              members={env.members}
              placeholder={messages.length ? "Reply…" : "Write the first message…"}
              submitLabel={messages.length ? "Reply" : "Comment"}
              onSubmit={(body, mentions) => addMessage(env.doc, thread.id, { by: env.me.id, body, mentions })}
            />
          )}
          <div className="row small thread-actions">
            {can(env.role, writeAction) && (
              <button type="button" onClick={() => setResolved(env.doc, thread.id, { by: env.me.id, resolved: !thread.resolved })}>
                {thread.resolved ? "Reopen" : "Resolve"}
              </button>
            )}
            {canDelete && (
              <button
                type="button"
                className="danger"
                onClick={() => {
                  if (window.confirm("Delete this thread and all its messages?")) deleteThread(env.doc, thread.id);
                }}
              >
                Delete thread
              </button>
            )}
            <span className="muted">
              {thread.kind === "claim" ? "Flagged" : "Started"} by {memberName(env.members, thread.createdBy, env.guest)} <RelativeTime date={thread.createdAt} />
            </span>
          </div>
        </div>
      )}
    </article>
  );
}
