"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLE_LABELS, ROLES, type Role } from "@/model/roles";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";
import { RelativeTime } from "../ui/relative-time";

export interface InviteRow {
  id: string;
  role: Role;
  expiresAt: string;
  acceptedCount: number;
}

/** Creates invite links that carry a role, and lists or revokes the live ones. */
export function InvitePanel({ teamSlug, invites }: { teamSlug: string; invites: InviteRow[] }) {
  const router = useRouter();
  const [link, setLink] = useState("");
  const { error, run } = useAction();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(async () => {
      const { invite } = await apiFetch<{ invite: { url: string } }>(`/api/teams/${teamSlug}/invites`, {
        body: { role: form.get("role"), expiresInDays: Number(form.get("expiresInDays")) },
      });
      setLink(invite.url);
      router.refresh();
    });
  }

  const revoke = (id: string) =>
    void run(async () => {
      await apiFetch(`/api/teams/${teamSlug}/invites/${id}`, { method: "DELETE" });
      router.refresh();
    });

  return (
    <section className="card stack" aria-label="Invite people">
      <h2 style={{ margin: 0, fontSize: 17 }}>Invite people</h2>
      <form className="row" onSubmit={onSubmit}>
        <label className="row" style={{ fontWeight: 400 }}>
          Role
          <select name="role" defaultValue="checker" style={{ width: "auto" }}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="row" style={{ fontWeight: 400 }}>
          Expires after
          <select name="expiresInDays" defaultValue="7" style={{ width: "auto" }}>
            <option value="1">1 day</option>
            <option value="7">7 days</option>
            <option value="30">30 days</option>
          </select>
        </label>
        <button className="primary" type="submit">
          Create invite link
        </button>
      </form>
      <ErrorAlert message={error} />
      {link && (
        <div className="notice stack">
          <span>Send this link to the people you invite. It is shown only once.</span>
          <output className="invite-link" data-testid="invite-link">
            {link}
          </output>
          <div>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
              Copy link
            </button>
          </div>
        </div>
      )}
      {invites.length > 0 && (
        <table aria-label="Live invites">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Expires</th>
              <th scope="col">Used</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id}>
                <td>{ROLE_LABELS[i.role]}</td>
                <td>
                  <RelativeTime date={i.expiresAt} />
                </td>
                <td>{i.acceptedCount}×</td>
                <td>
                  <button type="button" className="danger" onClick={() => revoke(i.id)}>
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
