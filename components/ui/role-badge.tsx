import { ROLE_LABELS, type Role } from "@/model/roles";

/** A coloured label for a role. */
export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge role-${role}`}>{ROLE_LABELS[role]}</span>;
}
