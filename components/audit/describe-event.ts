import { isRole, ROLE_LABELS } from "@/model/roles";
import { AUDIT_ACTION_LABELS, type AuditEventView } from "@/model/schemas/audit";

const PROVIDERS: Record<string, string> = { credentials: "with a password", github: "with GitHub", oidc: "with single sign-on" };

const roleLabel = (value: unknown) => (isRole(value) ? ROLE_LABELS[value] : null);
const text = (value: unknown) => (typeof value === "string" && value ? value : null);
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The human name of an event's action ("Changed a role"); an unknown action shows as recorded. */
export function actionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/**
 * One line about what an event concerned, in words, from its target and data: "Chioma: Checker →
 * Editor", "Commenter invite link". Only the fields each action is known to record are read.
 */
export function describeEvent(event: Pick<AuditEventView, "action" | "targetLabel" | "data">): string {
  const { data } = event;
  const target = event.targetLabel;
  switch (event.action) {
    case "auth.sign_in":
      return PROVIDERS[text(data.provider) ?? ""] ?? (text(data.provider) ? `with ${text(data.provider)}` : "");
    case "member.role_change": {
      const change = [roleLabel(data.from), roleLabel(data.to)].every(Boolean) ? `${roleLabel(data.from)} → ${roleLabel(data.to)}` : "";
      return [target ?? "A former member", change].filter(Boolean).join(": ");
    }
    case "member.remove":
      return [target ?? "A former member", roleLabel(data.role) ? `(was ${roleLabel(data.role)})` : ""].filter(Boolean).join(" ");
    case "invite.create":
      return roleLabel(data.role) ? `${roleLabel(data.role)} invite link` : "Invite link";
    case "invite.accept":
      return roleLabel(data.role) ? `as ${roleLabel(data.role)}` : "";
    case "revision.create": {
      const num = number(data.number);
      const label = text(data.label);
      return [target, num !== null ? `version #${num}` : null, label ? `“${label}”` : null].filter(Boolean).join(" · ");
    }
    case "revision.restore": {
      const restored = number(data.restoredNumber);
      const after = number(data.afterNumber);
      return [target, restored !== null ? `brought back version #${restored}` : null, after !== null ? `as #${after}` : null].filter(Boolean).join(" · ");
    }
    default:
      return target ?? "";
  }
}
