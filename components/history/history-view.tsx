"use client";

import Link from "next/link";
import { useCallback, useEffect, useId, useMemo, useState } from "react";
import { can } from "@/model/permissions";
import type { Thread } from "@/model/review";
import type { RevisionCompareResponse, RevisionListResponse, RevisionSummary, RevisionViewResponse } from "@/model/revisions/api";
import type { Role } from "@/model/roles";
import { findVerdict, type VerdictScale } from "@/model/verdict-scale";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { Comparison } from "./comparison";
import { revisionKindLabel } from "./describe";
import { RestoreControl } from "./restore-control";
import { RevisionArticle } from "./revision-article";
import { RevisionTimeline, type RevisionRef } from "./revision-timeline";
import type { SnapshotThread } from "./snapshot-highlights";
import { ThreadSnapshot } from "./thread-snapshot";
import { useApi } from "./use-api";

/** What the history page shows first, from its address. */
export interface HistoryInitial {
  selected: RevisionRef;
  mode: "view" | "compare";
  from: RevisionRef | null;
  to: RevisionRef | null;
}

const PAGE_SIZE = 20;
const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

const refLabel = (ref: RevisionRef, revisions: RevisionSummary[]) => {
  if (ref === "current") return "Current version";
  const r = revisions.find((x) => x.number === ref);
  return r ? `#${r.number} · ${revisionKindLabel(r)} · ${when.format(new Date(r.createdAt))}` : `#${ref}`;
};

const parseRef = (value: string): RevisionRef => (value === "current" ? "current" : Number(value));

/**
 * An article's history: the timeline of its versions, the selected one read-only (text with its
 * highlights, and its threads), a comparison of any two, and "Restore this version" for those allowed.
 */
export function HistoryView({
  articleId,
  articleHref,
  role,
  scale,
  members,
  initial,
}: {
  articleId: string;
  articleHref: string;
  role: Role;
  scale: VerdictScale;
  members: { userId: string; name: string }[];
  initial: HistoryInitial;
}) {
  const [revisions, setRevisions] = useState<RevisionSummary[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [listState, setListState] = useState<{ loading: boolean; error: string }>({ loading: true, error: "" });
  const [selected, setSelected] = useState<RevisionRef>(initial.selected);
  const [mode, setMode] = useState<"view" | "compare">(initial.mode);
  // An explicit pair chosen in the compare form; null follows the selection (previous → selected).
  const [pair, setPair] = useState<{ from: RevisionRef; to: RevisionRef } | null>(initial.from !== null && initial.to !== null ? { from: initial.from, to: initial.to } : null);
  const base = `/api/articles/${articleId}/revisions`;

  useEffect(() => {
    let stale = false;
    apiFetch<RevisionListResponse>(`${base}?limit=${PAGE_SIZE}`).then(
      (page) => {
        if (stale) return;
        setRevisions(page.revisions);
        setNextBefore(page.nextBefore);
        setListState({ loading: false, error: "" });
      },
      (e: unknown) => !stale && setListState({ loading: false, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      stale = true;
    };
  }, [base]);

  const loadMore = async () => {
    if (nextBefore === null) return;
    setListState({ loading: true, error: "" });
    try {
      const page = await apiFetch<RevisionListResponse>(`${base}?limit=${PAGE_SIZE}&before=${nextBefore}`);
      setRevisions((old) => [...old, ...page.revisions.filter((r) => !old.some((o) => o.id === r.id))]);
      setNextBefore(page.nextBefore);
      setListState({ loading: false, error: "" });
    } catch (e) {
      setListState({ loading: false, error: e instanceof Error ? e.message : String(e) });
    }
  };

  // Revisions are numbered 1, 2, 3… per article, so the one before #n is #n-1; before "now" is the newest.
  const previousOf = (ref: RevisionRef): RevisionRef | null => (ref === "current" ? (revisions[0]?.number ?? null) : ref > 1 ? ref - 1 : null);
  const defaultFrom = previousOf(selected);
  const compare = pair ?? (defaultFrom !== null ? { from: defaultFrom, to: selected } : null);

  useEffect(() => {
    // The address keeps what is shown, so a reload or a shared link opens the same view.
    const q = new URLSearchParams();
    if (selected !== "current") q.set("rev", String(selected));
    if (mode === "compare") {
      q.set("mode", "compare");
      if (pair) {
        q.set("from", String(pair.from));
        q.set("to", String(pair.to));
      }
    }
    const s = q.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${s ? `?${s}` : ""}`);
  }, [selected, mode, pair]);

  const select = (ref: RevisionRef) => {
    setSelected(ref);
    setPair(null);
  };

  const view = useApi<RevisionViewResponse>(mode === "view" ? `${base}/${selected}` : null);
  const comparison = useApi<RevisionCompareResponse>(mode === "compare" && compare ? `${base}/compare?from=${compare.from}&to=${compare.to}` : null);

  const people = useMemo(() => {
    const map = new Map<string, string>(members.map((m) => [m.userId, m.name]));
    for (const r of revisions) for (const p of [...r.contributors, ...(r.createdBy ? [r.createdBy] : [])]) if (!map.has(p.id)) map.set(p.id, p.name);
    return map;
  }, [members, revisions]);
  const nameOf = useCallback((id: string | null) => (id ? (people.get(id) ?? "Former member") : "System"), [people]);

  const summary = selected === "current" ? null : (revisions.find((r) => r.number === selected) ?? view.data?.revision ?? null);
  const canRestore = can(role, "revision:restore") && selected !== "current";
  const modeLabel = useId();

  return (
    <div className="history-layout">
      <div className="history-side">
        <ErrorAlert message={listState.error} />
        <RevisionTimeline revisions={revisions} selected={selected} onSelect={select} hasMore={nextBefore !== null} loading={listState.loading} onLoadMore={() => void loadMore()} />
      </div>
      <section className="history-main card" aria-label="Selected version">
        <header className="history-head">
          <div className="history-title">
            <h2 data-testid="selected-version">{selected === "current" ? "Current version" : `Version #${selected}`}</h2>
            {summary && (
              <p className="muted small">
                {revisionKindLabel(summary)} · {when.format(new Date(summary.createdAt))}
                {summary.createdBy && ` · by ${summary.createdBy.name}`}
              </p>
            )}
            {selected === "current" && (
              <p className="muted small">
                What the article is now. <Link href={articleHref}>Back to the article</Link>
              </p>
            )}
          </div>
          <div className="row mode-switch" role="group" aria-labelledby={modeLabel}>
            <span id={modeLabel} className="visually-hidden">
              Show
            </span>
            <button type="button" aria-pressed={mode === "view"} onClick={() => setMode("view")}>
              View
            </button>
            <button type="button" aria-pressed={mode === "compare"} onClick={() => setMode("compare")}>
              Compare
            </button>
          </div>
          {canRestore && <RestoreControl key={selected} articleId={articleId} number={selected} articleHref={articleHref} />}
        </header>

        {mode === "view" ? (
          <>
            <ErrorAlert message={view.error} />
            {view.loading && (
              <p className="muted small" role="status">
                Loading…
              </p>
            )}
            {view.data && <RevisionContentView key={String(selected)} threads={view.data.content.threads} body={view.data.content.body} scale={scale} nameOf={nameOf} />}
          </>
        ) : (
          <>
            <CompareForm
              revisions={revisions}
              value={compare}
              onChange={(from, to) => setPair({ from, to })}
              fallback={selected}
            />
            {!compare && !listState.loading && <p className="muted small">There is no earlier version to compare this one with.</p>}
            <ErrorAlert message={comparison.error} />
            {comparison.loading && (
              <p className="muted small" role="status">
                Comparing…
              </p>
            )}
            {comparison.data && <Comparison comparison={comparison.data} scale={scale} nameOf={nameOf} />}
          </>
        )}
      </section>
    </div>
  );
}

/** The two versions to compare; each list holds "Current version" and every loaded revision. */
function CompareForm({
  revisions,
  value,
  onChange,
  fallback,
}: {
  revisions: RevisionSummary[];
  value: { from: RevisionRef; to: RevisionRef } | null;
  onChange: (from: RevisionRef, to: RevisionRef) => void;
  fallback: RevisionRef;
}) {
  const from = value?.from ?? fallback;
  const to = value?.to ?? fallback;
  const refs: RevisionRef[] = ["current", ...revisions.map((r) => r.number)];
  for (const r of [from, to]) if (!refs.includes(r)) refs.push(r);
  const ids = { from: useId(), to: useId() };
  const options = refs.map((r) => (
    <option key={String(r)} value={String(r)}>
      {refLabel(r, revisions)}
    </option>
  ));
  return (
    <form className="compare-form row" aria-label="Versions to compare" onSubmit={(e) => e.preventDefault()}>
      <div>
        <label htmlFor={ids.from}>From</label>
        <select id={ids.from} value={String(from)} onChange={(e) => onChange(parseRef(e.target.value), to)}>
          {options}
        </select>
      </div>
      <span aria-hidden="true" className="muted">
        →
      </span>
      <div>
        <label htmlFor={ids.to}>To</label>
        <select id={ids.to} value={String(to)} onChange={(e) => onChange(from, parseRef(e.target.value))}>
          {options}
        </select>
      </div>
      <button type="button" onClick={() => onChange(to, from)} disabled={from === to}>
        Swap
      </button>
    </form>
  );
}

/** A version read-only: its text with highlights, and its threads beside it. */
function RevisionContentView({ body, threads, scale, nameOf }: { body: unknown; threads: Thread[]; scale: VerdictScale; nameOf: (id: string | null) => string }) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const [placed, setPlaced] = useState<Set<string> | null>(null);
  const snapshot = useMemo<SnapshotThread[]>(
    () => threads.map((t) => ({ id: t.id, kind: t.kind, resolved: t.resolved, colour: findVerdict(scale, t.claim?.verdict)?.colour ?? null, quote: t.anchor.quote })),
    [threads, scale],
  );
  const toggle = useCallback((id: string) => setActiveId((old) => (old === id ? null : id)), []);
  const claims = threads.filter((t) => t.kind === "claim").length;
  return (
    <div className="article-layout history-article">
      <div className="article-column">
        <RevisionArticle body={body} threads={snapshot} activeId={activeId} onSelect={setActiveId} onPlaced={setPlaced} />
      </div>
      <aside className="review-column" aria-label="Threads in this version">
        <p className="small">
          <strong>
            {claims} {claims === 1 ? "claim" : "claims"}
          </strong>
          <span className="muted">
            {" "}
            · {threads.length - claims} {threads.length - claims === 1 ? "comment" : "comments"}
          </span>
        </p>
        {threads.length === 0 && <p className="muted small">No threads in this version.</p>}
        <div className="thread-list">
          {threads.map((t) => (
            <ThreadSnapshot
              key={t.id}
              thread={t}
              scale={scale}
              nameOf={nameOf}
              active={t.id === activeId}
              orphan={placed !== null && !placed.has(t.id)}
              onSelect={() => toggle(t.id)}
            />
          ))}
        </div>
      </aside>
    </div>
  );
}
