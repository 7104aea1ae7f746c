"use client";

import { useState } from "react";
import type { ClaimHistoryResponse } from "@/model/revisions/api";
import type { VerdictScale } from "@/model/verdict-scale";
import { ErrorAlert } from "../ui/error-alert";
import { RelativeTime } from "../ui/relative-time";
import { describeClaimChange } from "./describe";
import { useApi } from "./use-api";

/**
 * A claim's "History" disclosure: every change to its verdict, rationale, fields, evidence and state,
 * newest first, with who made it and when (from the server's log, fetched each time it is opened).
 */
export function ClaimHistory({ articleId, claimId, scale, nameOf }: { articleId: string; claimId: string; scale: VerdictScale; nameOf: (id: string | null) => string }) {
  const [open, setOpen] = useState(false);
  const history = useApi<ClaimHistoryResponse>(open ? `/api/articles/${articleId}/claims/${claimId}/history` : null);
  const people = new Map((history.data?.people ?? []).map((p) => [p.id, p.name]));
  const name = (id: string | null) => (id ? (people.get(id) ?? nameOf(id)) : "System");
  const entries = [...(history.data?.entries ?? [])].reverse();

  return (
    <details className="claim-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>History</summary>
      <ErrorAlert message={history.error} />
      {history.loading && !history.data && (
        <p className="muted small" role="status">
          Loading…
        </p>
      )}
      {history.data && entries.length === 0 && <p className="muted small">No changes recorded yet.</p>}
      {entries.length > 0 && (
        <ol aria-label="Changes to this claim">
          {entries.map((entry, i) => (
            <li key={`${entry.at}-${i}`} data-testid="claim-history-entry" data-kind={entry.change.kind}>
              <span>{describeClaimChange(entry.change, { scale, nameOf: name })}</span>
              <span className="muted small">
                {name(entry.by)} · <RelativeTime date={entry.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
