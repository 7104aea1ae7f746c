"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";
import type * as Y from "yjs";
import { can } from "@/model/permissions";
import {
  EXPORT_FORMATS,
  PUBLISHING_LIMITS,
  type BlockReason,
  type ExportFormat,
  type NotApprovedDetails,
  type PublicationListResponse,
  type PublishResponse,
} from "@/model/publishing/api";
import { approvalStatus, CLAIM_STATE_LABELS, effectiveClaimState, readThreads, type Thread } from "@/model/review";
import type { Role } from "@/model/roles";
import { findVerdict, type VerdictScale } from "@/model/verdict-scale";
import { useReviewThreads } from "../annotations/use-review-threads";
import { shortQuote } from "../history/describe";
import { useSummary } from "../summary/use-summary";
import { ApiError, apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { RelativeTime } from "../ui/relative-time";

const EXPORT_LABELS: Record<ExportFormat, string> = {
  w3c: "W3C Web Annotations (JSON-LD)",
  claimreview: "ClaimReview (JSON)",
  markdown: "Markdown with footnotes",
};

const BLOCK_REASONS: Record<BlockReason, string> = { not_approved: "not approved", no_verdict: "no verdict" };

interface Props {
  articleId: string;
  /** Where the published page lives: /p/<team>/<article>. */
  publicPath: string;
  role: Role;
  review: Y.Doc;
  summary: Y.Doc;
  scale: VerdictScale;
  /** Moves when the collaboration server says the publication changed (someone published elsewhere). */
  changes: number;
}

/**
 * The article's publication: whether and when it was last published, the link to the public page,
 * the exports, and for editors "Publish…" and "Unpublish…".
 */
export function PublishControls({ articleId, publicPath, role, review, summary, scale, changes }: Props) {
  const [list, setList] = useState<PublicationListResponse | null>(null);
  const [loadError, setLoadError] = useState("");
  const [announce, setAnnounce] = useState("");
  const mayPublish = can(role, "article:publish");

  const reload = useCallback(async () => {
    try {
      setList(await apiFetch<PublicationListResponse>(`/api/articles/${articleId}/publications`));
      setLoadError("");
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [articleId]);

  useEffect(() => {
    // Loaded once per article, and again whenever someone publishes or unpublishes it (here or elsewhere).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void reload();
  }, [reload, changes]);

  const latest = list?.publications[0];
  const live = list?.status === "published";

  return (
    <div className="publish-controls" role="group" aria-label="Publication">
      <span className="small publish-state" data-testid="publication-state">
        {!list && !loadError && <span className="muted">Publication…</span>}
        {list?.status === "never" && <span className="muted">Not published yet</span>}
        {latest && live && (
          <>
            <span className="badge publish-badge">
              <span aria-hidden="true">●</span> Published #{latest.number}
            </span>{" "}
            <RelativeTime date={latest.publishedAt} />
            {latest.publishedBy && <> by {latest.publishedBy.name}</>}
            {" · "}
            <a href={list?.url ?? publicPath} target="_blank" rel="noopener">
              Public page
            </a>
          </>
        )}
        {latest && list?.status === "unpublished" && (
          <>
            <span className="badge">Unpublished</span> {latest.unpublishedAt && <RelativeTime date={latest.unpublishedAt} />}
          </>
        )}
        {announce && (
          <span className="visually-hidden" role="status">
            {announce}
          </span>
        )}
      </span>
      <ErrorAlert message={loadError} />
      <span className="publish-actions">
        <details className="export-menu">
          <summary>Export</summary>
          <ul aria-label="Export formats">
            {EXPORT_FORMATS.map((format) => (
              <li key={format}>
                <a href={`/api/articles/${articleId}/export?format=${format}`} download>
                  {EXPORT_LABELS[format]}
                </a>
              </li>
            ))}
          </ul>
        </details>
        {mayPublish && list && (
          <>
            <PublishDialog
              articleId={articleId}
              review={review}
              summary={summary}
              scale={scale}
              republish={list.publications.length > 0}
              onPublished={(n) => {
                setAnnounce(`Published version #${n}.`);
                void reload();
              }}
            />
            {live && (
              <UnpublishDialog
                articleId={articleId}
                onUnpublished={() => {
                  setAnnounce("Unpublished.");
                  void reload();
                }}
              />
            )}
          </>
        )}
      </span>
    </div>
  );
}

interface DialogProps {
  articleId: string;
  review: Y.Doc;
  summary: Y.Doc;
  scale: VerdictScale;
  republish: boolean;
  onPublished: (number: number) => void;
}

/** "Publish…" (or "Republish…") and its modal dialog; the form inside exists only while it is open. */
function PublishDialog(props: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const close = () => dialog.current?.close();

  return (
    <>
      <button
        type="button"
        className="primary"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        {props.republish ? "Republish…" : "Publish…"}
      </button>
      <dialog ref={dialog} className="publish-dialog" aria-labelledby={titleId} onClose={() => setOpen(false)}>
        {open && (
          <PublishForm
            {...props}
            titleId={titleId}
            onClose={close}
            onPublished={(n) => {
              close();
              props.onPublished(n);
            }}
          />
        )}
      </dialog>
    </>
  );
}

/**
 * The choice of public claims (approved ones chosen to begin with, as they stand when the dialog
 * opens), the state of the summary, the correction note of a republish, and what holds it back when
 * the server refuses.
 */
function PublishForm({ articleId, review, summary, scale, republish, onPublished, onClose, titleId }: DialogProps & { titleId: string; onClose: () => void }) {
  const threads = useReviewThreads(review);
  const summaryView = useSummary(summary);
  const claims = threads.filter((t): t is Thread & { claim: NonNullable<Thread["claim"]> } => t.kind === "claim" && Boolean(t.claim));
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(readThreads(review).filter((t) => t.kind === "claim" && approvalStatus(t) === "approved").map((t) => t.id)));
  const [correction, setCorrection] = useState("");
  const [error, setError] = useState("");
  const [heldBack, setHeldBack] = useState<NotApprovedDetails | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (id: string, on: boolean) =>
    setChosen((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (republish && !correction.trim()) {
      setError("Say what this correction changes and why; readers see it in the corrections log.");
      return;
    }
    setBusy(true);
    setError("");
    setHeldBack(null);
    try {
      const body = { claimIds: claims.filter((t) => chosen.has(t.id)).map((t) => t.id), ...(republish ? { correction: correction.trim() } : {}) };
      const res = await apiFetch<PublishResponse>(`/api/articles/${articleId}/publications`, { body });
      onPublished(res.publication.number);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.details && typeof e.details === "object") setHeldBack(e.details as NotApprovedDetails);
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }

  const summaryLine =
    summaryView.status === "approved"
      ? "The summary is approved and leads the page."
      : !summaryView.rating && !summaryView.takeaway.trim() && !summaryView.text.trim()
        ? "There is no summary; the page starts with the claims."
        : "The summary is not approved yet.";

  return (
    <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby={titleId}>
      <h2 id={titleId}>{republish ? "Republish with a correction" : "Publish the article"}</h2>
      <p className="muted small" style={{ margin: 0 }}>
        The public page shows the article with the claims chosen here, their verdicts, rationale and evidence. Every chosen claim must be approved. Comment threads are never published.
      </p>
      <fieldset className="stack publish-claims">
        <legend>Public claims</legend>
        {claims.length === 0 && <p className="muted small">No claims flagged in this article.</p>}
        {claims.map((t) => {
          const verdict = findVerdict(scale, t.claim.verdict);
          const state = effectiveClaimState(t);
          const held = heldBack?.claims.some((c) => c.id === t.id);
          return (
            <label key={t.id} className={`publish-claim${held ? " held" : ""}`} data-testid="publish-claim">
              <input type="checkbox" checked={chosen.has(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
              <span className="publish-claim-text">
                <q>{shortQuote(t.anchor.quote.exact, 90)}</q>
                <span className="small">
                  {verdict ? (
                    <span className="verdict-badge" style={{ background: verdict.colour }}>
                      {verdict.label}
                    </span>
                  ) : (
                    <span className="muted">No verdict</span>
                  )}{" "}
                  <span className={`state-badge state-${state}`}>{CLAIM_STATE_LABELS[state]}</span>
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <p className="small" style={{ margin: 0 }} data-testid="publish-summary-state">
        {summaryLine}
      </p>
      {republish && (
        <label>
          Correction note
          <span className="hint">Shown in the page’s corrections log with today’s date and what changed.</span>
          <textarea name="correction" rows={3} required maxLength={PUBLISHING_LIMITS.correctionChars} value={correction} onChange={(e) => setCorrection(e.target.value)} style={{ minHeight: 0, fontFamily: "var(--font)" }} />
        </label>
      )}
      {heldBack && (heldBack.claims.length > 0 || heldBack.summary) ? (
        <div className="held-back" role="alert" data-testid="held-back">
          <p style={{ margin: 0 }}>
            <strong>{error}</strong> Approve these first, or leave the claims out:
          </p>
          <ul aria-label="Not approved">
            {heldBack.claims.map((c) => (
              <li key={c.id}>
                <q>{shortQuote(c.quote, 90)}</q> — {CLAIM_STATE_LABELS[c.state] ?? c.state}, {BLOCK_REASONS[c.reason] ?? c.reason}
              </li>
            ))}
            {heldBack.summary && <li>The summary is not approved</li>}
          </ul>
        </div>
      ) : (
        <ErrorAlert message={error} />
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Publishing…" : republish ? "Republish" : "Publish"}
        </button>
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function UnpublishDialog({ articleId, onUnpublished }: { articleId: string; onUnpublished: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setError("Say why; readers of the page see it.");
      return;
    }
    setBusy(true);
    setError("");
    try {
      await apiFetch(`/api/articles/${articleId}/unpublish`, { body: { reason: reason.trim() } });
      dialog.current?.close();
      setReason("");
      onUnpublished();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setError("");
          dialog.current?.showModal();
        }}
      >
        Unpublish…
      </button>
      <dialog ref={dialog} className="publish-dialog" aria-labelledby={titleId}>
        <form className="stack" onSubmit={(e) => void onSubmit(e)} aria-labelledby={titleId}>
          <h2 id={titleId}>Unpublish the article</h2>
          <p className="muted small" style={{ margin: 0 }}>
            The public page is replaced by an explanation with this reason. Publishing again later is a correction.
          </p>
          <label>
            Reason
            <textarea name="reason" rows={3} required maxLength={PUBLISHING_LIMITS.reasonChars} value={reason} onChange={(e) => setReason(e.target.value)} style={{ minHeight: 0, fontFamily: "var(--font)" }} />
          </label>
          <ErrorAlert message={error} />
          <div className="row">
            <button type="submit" className="primary danger-fill" disabled={busy}>
              {busy ? "Unpublishing…" : "Unpublish"}
            </button>
            <button type="button" onClick={() => dialog.current?.close()} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
