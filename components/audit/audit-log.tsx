"use client";

import Link from "next/link";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { AUDIT_ACTIONS, type AuditEventView, type AuditPage } from "@/model/schemas/audit";
import { apiFetch } from "../ui/api-client";
import { Avatar } from "../ui/avatar";
import { ErrorAlert } from "../ui/error-alert";
import { actionLabel, describeEvent } from "./describe-event";

/** The audit log's filters as the page's address carries them; dates are the viewer's local days. */
export interface AuditFilters {
  action: string;
  actorId: string;
  from: string;
  to: string;
}

const PAGE_SIZE = 50;

/** The API query for some filters: local calendar days become the instants that bound them. */
function apiQuery(filters: AuditFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.action) query.set("action", filters.action);
  if (filters.actorId) query.set("actorId", filters.actorId);
  if (filters.from) query.set("from", new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) query.set("to", new Date(`${filters.to}T23:59:59.999`).toISOString());
  return query;
}

function pageQuery(filters: AuditFilters): string {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const s = query.toString();
  return s ? `?${s}` : "";
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/**
 * The desk's audit log for owners: filters by action, person and date range, newest first with
 * "Load more", and an export of everything that matches as CSV.
 */
export function AuditLog({
  teamSlug,
  people,
  initial,
  verdictLabels = {},
}: {
  teamSlug: string;
  people: { id: string; name: string }[];
  initial: AuditFilters;
  /** The desk's verdict labels by key, to name the verdicts that approvals record. */
  verdictLabels?: Record<string, string>;
}) {
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const [events, setEvents] = useState<AuditEventView[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  // Which query the shown events answer; while it differs from the current one, the first page is loading.
  const [shownKey, setShownKey] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState("");
  const ids = { action: useId(), person: useId(), from: useId(), to: useId() };

  const base = `/api/teams/${teamSlug}/audit`;
  const query = useMemo(() => apiQuery(filters), [filters]);
  const key = query.toString();
  const currentKey = useRef(key);
  const invalidRange = Boolean(filters.from && filters.to && filters.from > filters.to);
  const loading = !invalidRange && shownKey !== key;

  const pageUrl = useCallback(
    (before: number | null) => {
      const q = new URLSearchParams(query);
      q.set("limit", String(PAGE_SIZE));
      if (before !== null) q.set("before", String(before));
      return `${base}?${q}`;
    },
    [base, query],
  );

  useEffect(() => {
    currentKey.current = key;
    if (invalidRange) return;
    // The page's address keeps the filters, so a reload or a shared link shows the same view.
    window.history.replaceState(null, "", `${window.location.pathname}${pageQuery(filters)}`);
    let stale = false;
    apiFetch<AuditPage>(pageUrl(null)).then(
      (page) => {
        if (stale) return;
        setEvents(page.events);
        setNextBefore(page.nextBefore);
        setError("");
        setShownKey(key);
      },
      (e: unknown) => {
        if (stale) return;
        setEvents([]);
        setNextBefore(null);
        setError(e instanceof Error ? e.message : String(e));
        setShownKey(key);
      },
    );
    return () => {
      stale = true;
    };
  }, [key, pageUrl, filters, invalidRange]);

  const loadMore = async () => {
    if (nextBefore === null) return;
    const asked = key;
    setLoadingMore(true);
    try {
      const page = await apiFetch<AuditPage>(pageUrl(nextBefore));
      // Filters changed while this page was on its way: it belongs to another list.
      if (currentKey.current !== asked) return;
      setEvents((old) => [...old, ...page.events]);
      setNextBefore(page.nextBefore);
      setError("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const set = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered = Object.values(filters).some(Boolean);
  const csvQuery = new URLSearchParams(query);
  csvQuery.set("format", "csv");

  return (
    <div className="stack">
      <form className="card audit-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor={ids.action}>Action</label>
          <select id={ids.action} value={filters.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.person}>Person</label>
          <select id={ids.person} value={filters.actorId} onChange={(e) => set({ actorId: e.target.value })}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div>
          <label htmlFor={ids.to}>To</label>
          <input id={ids.to} type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="row audit-actions">
          {filtered && (
            <button type="button" onClick={() => setFilters({ action: "", actorId: "", from: "", to: "" })}>
              Clear filters
            </button>
          )}
          {invalidRange ? (
            <button type="button" disabled>
              Export CSV
            </button>
          ) : (
            <a className="button" href={`${base}?${csvQuery}`} download>
              Export CSV
            </a>
          )}
        </div>
      </form>
      {invalidRange && <ErrorAlert message="The “To” date is before the “From” date." />}
      <ErrorAlert message={error} />
      <div className="card" style={{ padding: 0 }}>
        <table aria-label="Audit log" aria-busy={loading}>
          <thead>
            <tr>
              <th scope="col" style={{ paddingLeft: 20 }}>
                When
              </th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td className="small" style={{ paddingLeft: 20, whiteSpace: "nowrap" }}>
                  <time dateTime={e.at}>{dateTime.format(new Date(e.at))}</time>
                </td>
                <td className="small">
                  {e.actor ? (
                    <span className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
                      <Avatar id={e.actor.id} name={e.actor.name} />
                      {e.actor.name}
                    </span>
                  ) : (
                    <span className="muted">System</span>
                  )}
                </td>
                <td>{actionLabel(e.action)}</td>
                <td className="small">
                  <EventDetails teamSlug={teamSlug} event={e} verdictLabels={verdictLabels} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && !invalidRange && !error && events.length === 0 && (
          <p className="empty" role="status">
            {filtered ? "No events match these filters." : "Nothing recorded yet."}
          </p>
        )}
      </div>
      <div className="row" style={{ justifyContent: "center" }}>
        {nextBefore !== null && (
          <button type="button" onClick={() => void loadMore()} disabled={loading || loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        )}
        {loading && (
          <span className="muted small" role="status">
            Loading…
          </span>
        )}
      </div>
    </div>
  );
}

/** What an event concerned; an article's title links to it. */
function EventDetails({ teamSlug, event, verdictLabels }: { teamSlug: string; event: AuditEventView; verdictLabels: Record<string, string> }) {
  const text = describeEvent(event, { verdictLabel: (key) => verdictLabels[key] ?? key });
  if (event.targetType === "article" && event.targetId && event.targetLabel && text.startsWith(event.targetLabel)) {
    return (
      <>
        <Link href={`/desks/${teamSlug}/articles/${event.targetId}`}>{event.targetLabel}</Link>
        {text.slice(event.targetLabel.length)}
      </>
    );
  }
  return <>{text || <span className="muted">—</span>}</>;
}
