"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { API_SCOPES, type ApiScope } from "@/model/permissions";
import { API_SCOPE_DESCRIPTIONS, API_TOKEN_NAME_CHARS, scopeLadder, type ApiTokenView, type CreatedApiToken } from "@/model/schemas/account";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { RelativeTime } from "../ui/relative-time";
import { useAction } from "../ui/use-action";

const SCOPE_LABELS: Record<ApiScope, string> = { read: "Read", write: "Write", admin: "Admin" };

/** The end of a calendar day (YYYY-MM-DD) in the viewer's own time zone, as an instant. */
function endOfLocalDay(day: string): string {
  return new Date(`${day}T23:59:59.999`).toISOString();
}

/**
 * Creates personal API tokens (name, expiry, scopes), shows a new token's secret this once, and lists
 * or revokes the tokens that exist. `today` and `lastDay` bound the expiry picker (YYYY-MM-DD).
 */
export function ApiTokenPanel({ tokens, defaultExpiry, today, lastDay }: { tokens: ApiTokenView[]; defaultExpiry: string; today: string; lastDay: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  // The highest scope ticked; the ones below it are part of it and shown ticked as well.
  const [top, setTop] = useState<ApiScope | null>("read");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);

  function toggle(scope: ApiScope, checked: boolean) {
    const index = API_SCOPES.indexOf(scope);
    setTop(checked ? scope : index > 0 ? API_SCOPES[index - 1]! : null);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      const body = { name: data.get("name"), expiresAt: endOfLocalDay(String(data.get("expiresAt"))), scopes: top ? scopeLadder([top]) : [] };
      const result = await apiFetch<CreatedApiToken>("/api/tokens", { body });
      setCreated({ name: result.token.name, secret: result.secret });
      setCopied(false);
      form.reset();
      setTop("read");
      router.refresh();
    });
  }

  const revoke = (id: string) =>
    void run(async () => {
      await apiFetch(`/api/tokens/${id}`, { method: "DELETE" });
      router.refresh();
    });

  const copy = (secret: string) =>
    void navigator.clipboard?.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );

  return (
    <div className="stack">
      <p className="muted" style={{ margin: 0 }}>
        A token lets a program (a newsroom CMS importing articles, a bot) use the Factdesk API as you: send it as <code>Authorization: Bearer &lt;token&gt;</code>.
        It can act only on desks you are already on, never beyond your role there, and it cannot manage tokens, change your password or create or join desks.
      </p>
      <form className="card stack" onSubmit={onSubmit} aria-label="Create an API token">
        <h3 style={{ margin: 0, fontSize: 15 }}>Create a token</h3>
        <ErrorAlert message={error} />
        <div className="grid-2">
          <label>
            Token name
            <input name="name" required maxLength={API_TOKEN_NAME_CHARS} placeholder="e.g. Newsroom CMS import" />
          </label>
          <label>
            Expires on
            <input name="expiresAt" type="date" required defaultValue={defaultExpiry} min={today} max={lastDay} />
          </label>
        </div>
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="field-label">Scopes</legend>
          <p className="muted small" style={{ margin: 0 }}>
            Each scope includes the ones before it: write includes read, admin includes both.
          </p>
          {API_SCOPES.map((scope) => (
            <label key={scope} className="row" style={{ fontWeight: 400, alignItems: "flex-start" }}>
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={top !== null && API_SCOPES.indexOf(scope) <= API_SCOPES.indexOf(top)}
                onChange={(e) => toggle(scope, e.target.checked)}
                style={{ width: "auto" }}
              />
              <span>
                <strong>{SCOPE_LABELS[scope]}</strong> <span className="muted">{API_SCOPE_DESCRIPTIONS[scope]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <button className="primary" type="submit" disabled={busy || top === null}>
            Create token
          </button>
        </div>
      </form>
      {created && (
        <div className="notice stack" role="region" aria-label="New API token">
          <strong>Copy the token “{created.name}” now. It is shown only this once: Factdesk keeps only a fingerprint of it.</strong>
          <span>Anyone who has it can act as you within its scopes. Store it in a secret store, never in code or chat.</span>
          <output className="invite-link" data-testid="api-token-secret">
            {created.secret}
          </output>
          <div className="row">
            <button type="button" onClick={() => copy(created.secret)}>
              Copy token
            </button>
            {copied && <span role="status">Copied.</span>}
            <button type="button" className="linkish" onClick={() => setCreated(null)}>
              I have stored it
            </button>
          </div>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="muted">You have no API tokens.</p>
      ) : (
        <table aria-label="Your API tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="api-token-row">
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scopes.map((s) => SCOPE_LABELS[s]).join(", ")}</td>
                <td>
                  <RelativeTime date={t.createdAt} />
                </td>
                <td>{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
                <td>{t.expired ? <strong>expired</strong> : <RelativeTime date={t.expiresAt} />}</td>
                <td>
                  <button type="button" className="danger" onClick={() => revoke(t.id)} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
