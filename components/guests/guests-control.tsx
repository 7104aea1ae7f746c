"use client";

import { useCallback, useEffect, useId, useState } from "react";
import { GUEST_ROLES, type GuestRole } from "@/model/permissions";
import { ROLE_LABELS } from "@/model/roles";
import { GUEST_ACCESS_MAX_DAYS, type CreatedGuestInvite, type GuestList } from "@/model/schemas";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { RelativeTime } from "../ui/relative-time";
import { useAction } from "../ui/use-action";

const DEFAULT_ACCESS_DAYS = 30;

// A date input speaks in the owner's local calendar days (YYYY-MM-DD).
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function daysFromToday(days: number): Date {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return date;
}

/** The last moment of a local calendar day, as the instant the API expects. */
function endOfLocalDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y!, m! - 1, d!, 23, 59, 59, 999).toISOString();
}

function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/**
 * The owner's "Guests" control on an article: a button that opens a panel where they invite an outside
 * expert to this one article (a single-use link with a role and an end date, shown once), and see and
 * revoke its guests and the links nobody has taken yet.
 */
export function GuestsControl({ articleId }: { articleId: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="guests-control">
      <button type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        Guests
      </button>
      {open && (
        <div id={panelId}>
          <GuestsPanel articleId={articleId} onClose={() => setOpen(false)} />
        </div>
      )}
    </div>
  );
}

function GuestsPanel({ articleId, onClose }: { articleId: string; onClose: () => void }) {
  const [list, setList] = useState<GuestList | null>(null);
  const [link, setLink] = useState("");
  const [copied, setCopied] = useState(false);
  const { busy, error, run } = useAction();
  const base = `/api/articles/${articleId}`;

  const reload = useCallback(() => run(async () => setList(await apiFetch<GuestList>(`${base}/guests`))), [base, run]);

  useEffect(() => {
    // Loaded when the panel opens; every change below loads it again.
    void reload();
  }, [reload]);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const { invite } = await apiFetch<CreatedGuestInvite>(`${base}/guests`, {
        body: { role: form.get("role"), accessExpiresAt: endOfLocalDay(String(form.get("until"))) },
      });
      setLink(invite.url);
      setCopied(false);
      setList(await apiFetch<GuestList>(`${base}/guests`));
    });
  }

  const revoke = (path: string) =>
    void run(async () => {
      await apiFetch(path, { method: "DELETE" });
      setList(await apiFetch<GuestList>(`${base}/guests`));
    });

  const copy = () =>
    void navigator.clipboard?.writeText(link).then(
      () => setCopied(true),
      () => setCopied(false),
    );

  return (
    <section className="card stack guests-panel" aria-label="Guests of this article" style={{ marginTop: 10 }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 style={{ margin: 0, fontSize: 17 }}>Guests of this article</h2>
        <button type="button" className="linkish" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        A guest sees this article only: not the desk, its other articles or its members. The link works once.
      </p>
      <form className="row" aria-label="Invite a guest" onSubmit={onSubmit}>
        <label className="row" style={{ fontWeight: 400 }}>
          Role
          <select name="role" defaultValue={"commenter" satisfies GuestRole} style={{ width: "auto" }}>
            {GUEST_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="row" style={{ fontWeight: 400 }}>
          Access until
          <input
            type="date"
            name="until"
            required
            defaultValue={localDay(daysFromToday(DEFAULT_ACCESS_DAYS))}
            min={localDay(new Date())}
            max={localDay(daysFromToday(GUEST_ACCESS_MAX_DAYS - 1))}
            style={{ width: "auto" }}
          />
        </label>
        <button className="primary" type="submit" disabled={busy}>
          Create guest link
        </button>
      </form>
      <ErrorAlert message={error} />
      {link && (
        <div className="notice stack">
          <span>Send this link to your guest. It is shown only once and works for one person.</span>
          <output className="invite-link" data-testid="guest-link">
            {link}
          </output>
          <div className="row">
            <button type="button" onClick={copy}>
              Copy link
            </button>
            {copied && <span className="small">Copied.</span>}
          </div>
        </div>
      )}
      {list && list.guests.length === 0 && list.invites.length === 0 && <p className="muted small">No guests yet.</p>}
      {list && list.guests.length > 0 && (
        <table aria-label="Guests">
          <thead>
            <tr>
              <th scope="col">Guest</th>
              <th scope="col">Role</th>
              <th scope="col">Access until</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.guests.map((g) => (
              <tr key={g.userId} data-testid="guest-row">
                <td>
                  {g.name} <span className="muted small">{g.email}</span>
                </td>
                <td>{ROLE_LABELS[g.role]}</td>
                <td>{new Date(g.expiresAt) > new Date() ? formatDay(g.expiresAt) : <span className="muted">ended {formatDay(g.expiresAt)}</span>}</td>
                <td>
                  <button type="button" className="danger" disabled={busy} onClick={() => revoke(`${base}/guests/${g.userId}`)} aria-label={`Revoke ${g.name}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && list.invites.length > 0 && (
        <table aria-label="Pending guest links">
          <thead>
            <tr>
              <th scope="col">Link for a</th>
              <th scope="col">Access until</th>
              <th scope="col">Link expires</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.invites.map((i) => (
              <tr key={i.id} data-testid="guest-link-row">
                <td>{ROLE_LABELS[i.role]}</td>
                <td>{formatDay(i.accessExpiresAt)}</td>
                <td>
                  <RelativeTime date={i.expiresAt} />
                </td>
                <td>
                  <button type="button" className="danger" disabled={busy} onClick={() => revoke(`${base}/guest-invites/${i.id}`)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
