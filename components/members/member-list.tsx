"use client";

import { useRouter } from "next/navigation";
import { assignableRoles, can } from "@/model/permissions";
import { ROLE_LABELS, type Role } from "@/model/roles";
import { apiFetch } from "../ui/api-client";
import { Avatar } from "../ui/avatar";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";
import { RoleBadge } from "../ui/role-badge";

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

/** The desk's members; owners can change roles and remove people. */
export function MemberList({ teamSlug, members, viewerRole, viewerId }: { teamSlug: string; members: MemberRow[]; viewerRole: Role; viewerId: string }) {
  const router = useRouter();
  const { error, run: runAction } = useAction();
  const manage = can(viewerRole, "member:manage");
  const run = (action: () => Promise<unknown>) =>
    runAction(async () => {
      await action();
      router.refresh();
    });

  return (
    <div className="card" style={{ padding: 0 }}>
      <ErrorAlert message={error} style={{ margin: 16 }} />
      <table aria-label="Members">
        <thead>
          <tr>
            <th scope="col" style={{ paddingLeft: 20 }}>
              Member
            </th>
            <th scope="col">Role</th>
            {manage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId} data-testid="member-row">
              <td style={{ paddingLeft: 20 }}>
                <div className="row">
                  <Avatar id={m.userId} name={m.name} />
                  <div>
                    <div>
                      {m.name} {m.userId === viewerId && <span className="muted small">(you)</span>}
                    </div>
                    <div className="muted small">{m.email}</div>
                  </div>
                </div>
              </td>
              <td>
                {manage ? (
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    onChange={(e) => void run(() => apiFetch(`/api/teams/${teamSlug}/members/${m.userId}`, { method: "PATCH", body: { role: e.target.value } }))}
                    style={{ width: "auto" }}
                  >
                    {assignableRoles(viewerRole).map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                ) : (
                  <RoleBadge role={m.role} />
                )}
              </td>
              {manage && (
                <td>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      if (window.confirm(`Remove ${m.name} from the desk?`)) void run(() => apiFetch(`/api/teams/${teamSlug}/members/${m.userId}`, { method: "DELETE" }));
                    }}
                  >
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
