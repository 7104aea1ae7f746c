"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import type { RevisionRestoreResponse } from "@/model/revisions/api";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/**
 * "Restore this version", with a confirmation step. A restore writes the old content back as new
 * changes (everyone connected receives them) after keeping the current state as a version of its own;
 * then the person goes back to the article.
 */
export function RestoreControl({ articleId, number, articleHref }: { articleId: string; number: number; articleHref: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Restore this version
      </button>
    );
  }
  return (
    <div
      className="restore-confirm"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) setConfirming(false);
      }}
    >
      <h3 id={titleId}>Restore version #{number}?</h3>
      <p id={textId} className="small">
        The article’s text and annotations become what they were in version #{number}. Nothing is lost: the current state is kept as a version first, and
        everyone working on the article sees the change at once.
      </p>
      <ErrorAlert message={error} />
      <div className="row">
        <button
          ref={confirmRef}
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void run(
              async () => {
                await apiFetch<RevisionRestoreResponse>(`/api/articles/${articleId}/revisions/${number}/restore`, { method: "POST" });
                router.push(articleHref);
                router.refresh();
              },
              { keepBusy: true },
            )
          }
        >
          {busy ? "Restoring…" : `Restore version #${number}`}
        </button>
        <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
