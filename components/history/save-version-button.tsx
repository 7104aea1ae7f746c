"use client";

import Link from "next/link";
import { useId, useRef, useState } from "react";
import { REVISION_LABEL_CHARS, type RevisionCreateResponse, type RevisionSummary } from "@/model/revisions/api";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/**
 * "Save version…": asks for a name in a modal dialog (the browser's own, so focus stays inside and
 * Escape closes it) and saves the article as it is now as a named version.
 */
export function SaveVersionButton({ articleId, historyHref }: { articleId: string; historyHref: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState<RevisionSummary | null>(null);
  const titleId = useId();

  const open = () => {
    setError("");
    setSaved(null);
    dialog.current?.showModal();
  };

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const label = String(new FormData(form).get("label") ?? "").trim();
    if (!label) {
      setError("Give the version a name.");
      return;
    }
    void run(async () => {
      const { revision } = await apiFetch<RevisionCreateResponse>(`/api/articles/${articleId}/revisions`, { body: { label } });
      setSaved(revision);
      form.reset();
      dialog.current?.close();
    });
  }

  return (
    <>
      <button type="button" onClick={open}>
        Save version…
      </button>
      {saved && (
        <span className="small" role="status">
          Saved as <Link href={`${historyHref}?rev=${saved.number}`}>version #{saved.number}</Link>
        </span>
      )}
      <dialog ref={dialog} className="save-version-dialog" aria-labelledby={titleId}>
        <form method="dialog" className="stack" onSubmit={onSubmit} aria-labelledby={titleId}>
          <h2 id={titleId}>Save a version</h2>
          <p className="muted small" style={{ margin: 0 }}>
            Keeps the article’s text and annotations as they are now, under a name, in its history.
          </p>
          <ErrorAlert message={error} />
          <label>
            Name
            <input name="label" required maxLength={REVISION_LABEL_CHARS} autoFocus autoComplete="off" placeholder="e.g. Before the legal review" />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? "Saving…" : "Save version"}
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
