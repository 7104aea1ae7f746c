import { equalityDeep } from "lib0/function";
import * as Y from "yjs";
import { changedThreads, readThread, type Claim, type Evidence, type Thread } from "../review";
import type { VerdictScale } from "../verdict-scale";
import { verdictLabel } from "./labels";
import type { ClaimHistoryEntry, LogRow } from "./types";

type Change = ClaimHistoryEntry["change"];

const FIELDS = ["claimant", "appearedIn", "appearedOn", "assigneeId"] as const;

const evidenceChange = (kind: "evidence-added" | "evidence-removed" | "evidence-changed", e: Evidence): Change => ({
  kind,
  evidenceId: e.id,
  title: e.title,
  url: e.url,
  stance: e.stance,
});

const byAdded = (a: Evidence, b: Evidence) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id);

/** The changes from one reading of a thread to the next (`before` undefined: it was just created). */
function changesBetween(before: Thread | undefined, after: Thread, scale: VerdictScale): Change[] {
  const changes: Change[] = before ? [] : [{ kind: "created" }];
  const was: Partial<Claim> = before?.claim ?? {};
  const now: Partial<Claim> = after.claim ?? {};
  if ((was.verdict ?? null) !== (now.verdict ?? null)) changes.push({ kind: "verdict", from: verdictLabel(scale, was.verdict), to: verdictLabel(scale, now.verdict) });
  if (was.state !== undefined && now.state !== undefined && was.state !== now.state) changes.push({ kind: "state", from: was.state, to: now.state });
  if (before && (was.rationale ?? "") !== (now.rationale ?? "")) changes.push({ kind: "rationale", from: was.rationale ?? "", to: now.rationale ?? "" });
  if (before) {
    for (const field of FIELDS) if ((was[field] ?? null) !== (now[field] ?? null)) changes.push({ kind: "field", field, from: was[field] ?? null, to: now[field] ?? null });
  }
  const old = before?.evidence ?? {};
  const cur = after.evidence ?? {};
  for (const e of Object.values(cur).sort(byAdded)) {
    const prior = old[e.id];
    if (!prior) changes.push(evidenceChange("evidence-added", e));
    else if (!equalityDeep(prior, e)) changes.push(evidenceChange("evidence-changed", e));
  }
  for (const e of Object.values(old).sort(byAdded)) if (!(e.id in cur)) changes.push(evidenceChange("evidence-removed", e));
  if ((before?.resolved ?? false) !== after.resolved) changes.push({ kind: after.resolved ? "resolved" : "reopened" });
  return changes;
}

/**
 * The history of one claim (or comment thread), replayed from the review room's update log: the rows
 * (oldest first, from the seed on) are applied one by one to a single document, and whatever changed
 * in the thread with a row is credited to that row's user at that row's time. Verdicts are given as
 * labels on the desk's scale; states stay as keys. Messages are not part of a claim's history.
 */
export function claimHistory(reviewRows: LogRow[], claimId: string, scale: VerdictScale): ClaimHistoryEntry[] {
  const doc = new Y.Doc();
  const entries: ClaimHistoryEntry[] = [];
  let touched = false;
  const watch = (transaction: Y.Transaction) => {
    touched ||= changedThreads(transaction).threadIds.has(claimId);
  };
  doc.on("afterTransaction", watch);
  try {
    let previous: Thread | undefined;
    for (const row of reviewRows) {
      touched = false;
      Y.applyUpdate(doc, row.update);
      if (!touched) continue;
      const current = readThread(doc, claimId);
      const changes: Change[] = current ? changesBetween(previous, current, scale) : previous ? [{ kind: "deleted" }] : [];
      for (const change of changes) entries.push({ at: row.createdAt.toISOString(), by: row.userId, change });
      previous = current;
    }
    return entries;
  } finally {
    doc.off("afterTransaction", watch);
    doc.destroy();
  }
}
