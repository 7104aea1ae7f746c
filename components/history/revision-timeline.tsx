"use client";

import type { Person, RevisionSummary } from "@/model/revisions/api";
import { Avatar } from "../ui/avatar";
import { dayHeading, groupByDay, revisionKindLabel } from "./describe";

/** What a timeline entry stands for: a stored revision by number, or the article as it is now. */
export type RevisionRef = number | "current";

const timeOf = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function People({ people }: { people: Person[] }) {
  if (!people.length) return null;
  return (
    <span className="row revision-people" style={{ gap: 6 }}>
      <span className="avatars" aria-hidden="true">
        {people.slice(0, 4).map((p) => (
          <Avatar key={p.id} id={p.id} name={p.name} />
        ))}
      </span>
      <span>{people.map((p) => p.name).join(", ")}</span>
    </span>
  );
}

/**
 * The article's revisions, newest first, grouped by day, with "Current version" on top. Each entry
 * is a button that selects it; the selected one is marked as current for assistive technology too.
 */
export function RevisionTimeline({
  revisions,
  selected,
  onSelect,
  hasMore,
  loading,
  onLoadMore,
}: {
  revisions: RevisionSummary[];
  selected: RevisionRef;
  onSelect: (ref: RevisionRef) => void;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  return (
    <nav className="history-timeline" aria-label="Versions">
      <ol className="revision-list">
        <li>
          <button type="button" className="revision-entry" aria-current={selected === "current" ? "true" : undefined} onClick={() => onSelect("current")} data-testid="revision-entry" data-revision="current">
            <span className="revision-title">Current version</span>
            <span className="muted small">The article as it is now</span>
          </button>
        </li>
      </ol>
      {groupByDay(revisions).map((group) => (
        <section key={group.day} aria-label={dayHeading(group.items[0]!.createdAt)}>
          <h3 className="revision-day">{dayHeading(group.items[0]!.createdAt)}</h3>
          <ol className="revision-list">
            {group.items.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={`revision-entry revision-${r.kind}`}
                  aria-current={selected === r.number ? "true" : undefined}
                  onClick={() => onSelect(r.number)}
                  data-testid="revision-entry"
                  data-revision={r.number}
                >
                  <span className="row" style={{ gap: 8 }}>
                    <time dateTime={r.createdAt} className="revision-time">
                      {timeOf.format(new Date(r.createdAt))}
                    </time>
                    <span className={`badge revision-kind revision-kind-${r.kind}`}>{revisionKindLabel(r)}</span>
                    <span className="muted small">#{r.number}</span>
                  </span>
                  <span className="revision-summary small">{r.summary}</span>
                  <People people={r.contributors.length ? r.contributors : r.createdBy ? [r.createdBy] : []} />
                </button>
              </li>
            ))}
          </ol>
        </section>
      ))}
      {revisions.length === 0 && !loading && <p className="muted small">No saved versions yet. They are taken automatically as people work, or with “Save version…”.</p>}
      {(hasMore || loading) && (
        <button type="button" onClick={onLoadMore} disabled={loading} className="load-more">
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </nav>
  );
}
