"use client";

import { useMemo, useState } from "react";
import { CLAIM_STATE_LABELS, CLAIM_STATES, effectiveClaimState, type ClaimState, type Thread } from "@/model/review";
import type { ThreadRange } from "./highlights";
import { useReviewEnv } from "./review-context";
import { ThreadCard } from "./thread-card";

export interface ReviewFilters {
  kind: "all" | "comment" | "claim";
  state: "" | ClaimState;
  verdict: string;
  assignee: string;
  showResolved: boolean;
  forMe: boolean;
}

const NO_FILTERS: ReviewFilters = { kind: "all", state: "", verdict: "", assignee: "", showResolved: false, forMe: false };

/** Whether a thread concerns `me`: I am mentioned in it, or the claim is assigned to me. */
function isForMe(thread: Thread, me: string): boolean {
  return thread.claim?.assigneeId === me || Object.values(thread.messages).some((m) => m.mentions.includes(me));
}

function matches(thread: Thread, f: ReviewFilters, me: string): boolean {
  if (f.kind !== "all" && thread.kind !== f.kind) return false;
  if (f.state && (!thread.claim || effectiveClaimState(thread) !== f.state)) return false;
  if (f.verdict && (thread.claim?.verdict ?? "none") !== f.verdict) return false;
  if (f.assignee && thread.claim?.assigneeId !== f.assignee) return false;
  if (!f.showResolved && thread.resolved) return false;
  if (f.forMe && !isForMe(thread, me)) return false;
  return true;
}

/**
 * The desk's threads beside the article: counters of claims by state and verdict, filters, the
 * threads in document order, and an "Orphaned" group for threads whose passage was deleted.
 */
export function ReviewPanel({
  threads,
  ranges,
  activeId,
  onSelect,
}: {
  threads: Thread[];
  ranges: Map<string, ThreadRange>;
  activeId: string | null;
  onSelect: (id: string) => void;
}) {
  const env = useReviewEnv();
  const [filters, setFilters] = useState<ReviewFilters>(NO_FILTERS);
  const set = (patch: Partial<ReviewFilters>) => setFilters((f) => ({ ...f, ...patch }));

  const claims = threads.filter((t) => t.kind === "claim");
  const byState = CLAIM_STATES.map((s) => [s, claims.filter((c) => c.claim && effectiveClaimState(c) === s).length] as const).filter(([, n]) => n > 0);
  const byVerdict = env.scale.map((v) => [v, claims.filter((c) => c.claim?.verdict === v.key).length] as const).filter(([, n]) => n > 0);
  const forMeCount = threads.filter((t) => !t.resolved && isForMe(t, env.me.id)).length;

  const { anchored, orphaned } = useMemo(() => {
    const visible = threads.filter((t) => matches(t, filters, env.me.id));
    const anchoredList = visible
      .filter((t) => ranges.get(t.id))
      .sort((a, b) => ranges.get(a.id)!.from - ranges.get(b.id)!.from || a.createdAt.localeCompare(b.createdAt));
    // Threads not yet resolved against the editor count as anchored until the editor says otherwise.
    const orphanedList = visible.filter((t) => ranges.has(t.id) && ranges.get(t.id) === null);
    return { anchored: anchoredList, orphaned: orphanedList };
  }, [threads, ranges, filters, env.me.id]);

  return (
    <aside className="review-panel" aria-label="Review">
      <div className="review-counters small" aria-label="Claims by state and verdict" data-testid="claim-counters">
        <strong>{claims.length} {claims.length === 1 ? "claim" : "claims"}</strong>
        {byState.map(([s, n]) => (
          <span key={s} className="chip">
            {CLAIM_STATE_LABELS[s]}: {n}
          </span>
        ))}
        {byVerdict.map(([v, n]) => (
          <span key={v.key} className="chip" style={{ borderColor: v.colour }}>
            <span className="dot" style={{ background: v.colour }} aria-hidden="true" />
            {v.label}: {n}
          </span>
        ))}
      </div>
      <div className="review-filters small" role="group" aria-label="Filters">
        <select aria-label="Kind" value={filters.kind} onChange={(e) => set({ kind: e.target.value as ReviewFilters["kind"] })}>
          <option value="all">All threads</option>
          <option value="claim">Claims</option>
          <option value="comment">Comments</option>
        </select>
        <select aria-label="Filter by state" value={filters.state} onChange={(e) => set({ state: e.target.value as ReviewFilters["state"] })}>
          <option value="">Any state</option>
          {CLAIM_STATES.map((s) => (
            <option key={s} value={s}>
              {CLAIM_STATE_LABELS[s]}
            </option>
          ))}
        </select>
        <select aria-label="Filter by verdict" value={filters.verdict} onChange={(e) => set({ verdict: e.target.value })}>
          <option value="">Any verdict</option>
          <option value="none">No verdict yet</option>
          {env.scale.map((v) => (
            <option key={v.key} value={v.key}>
              {v.label}
            </option>
          ))}
        </select>
        <select aria-label="Filter by assignee" value={filters.assignee} onChange={(e) => set({ assignee: e.target.value })}>
          <option value="">Anyone</option>
          {env.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </select>
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" checked={filters.showResolved} onChange={(e) => set({ showResolved: e.target.checked })} style={{ width: "auto" }} /> Resolved
        </label>
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" checked={filters.forMe} onChange={(e) => set({ forMe: e.target.checked })} style={{ width: "auto" }} /> For me
          {forMeCount > 0 && <span className="chip">{forMeCount}</span>}
        </label>
      </div>
      {threads.length === 0 && <p className="muted small">Select a passage in the article, then choose “Comment” or “Flag claim”.</p>}
      <div className="thread-list" data-testid="thread-list">
        {anchored.map((t) => (
          <ThreadCard key={t.id} thread={t} orphan={false} active={t.id === activeId} onSelect={() => onSelect(t.id)} />
        ))}
      </div>
      {orphaned.length > 0 && (
        <section className="orphaned" aria-label="Orphaned">
          <h3>Orphaned</h3>
          <p className="muted small">Their passages were deleted. They keep their quote and can be re-anchored.</p>
          {orphaned.map((t) => (
            <ThreadCard key={t.id} thread={t} orphan active={t.id === activeId} onSelect={() => onSelect(t.id)} />
          ))}
        </section>
      )}
    </aside>
  );
}
