import { isRole, ROLE_LABELS } from "@/model/roles";
import { AUDIT_ACTION_LABELS, type AuditEventView } from "@/model/schemas/audit";

const PROVIDERS: Record<string, string> = { credentials: "with a password", github: "with GitHub", oidc: "with single sign-on" };

const roleLabel = (value: unknown) => (isRole(value) ? ROLE_LABELS[value] : null);
const text = (value: unknown) => (typeof value === "string" && value ? value : null);
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);
// The calendar day (UTC) of a recorded ISO instant.
const day = (value: unknown) => (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : null);

/** The human name of an event's action ("Changed a role"); an unknown action shows as recorded. */
export function actionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/**
 * One line about what an event concerned, in words, from its target and data: "Chioma: Checker →
 * Editor", "Commenter invite link". Only the fields each action is known to record are read.
 * `verdictLabel` turns a recorded verdict key into the desk's label for it.
 */
export function describeEvent(event: Pick<AuditEventView, "action" | "targetLabel" | "data">, options: { verdictLabel?: (key: string) => string } = {}): string {
  const { data } = event;
  // Approvals record the verdict's key; the desk's scale (when given) names it.
  const verdict = text(data.verdict) ? (options.verdictLabel?.(text(data.verdict)!) ?? text(data.verdict)) : null;
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
    case "guest.invite":
      return [target ?? text(data.title), roleLabel(data.role) ? `${roleLabel(data.role)} guest link` : "Guest link", day(data.accessExpiresAt) ? `access until ${day(data.accessExpiresAt)}` : null]
        .filter(Boolean)
        .join(" · ");
    case "guest.accept":
      return [target ?? text(data.title), roleLabel(data.role) ? `as ${roleLabel(data.role)}` : null, day(data.expiresAt) ? `until ${day(data.expiresAt)}` : null].filter(Boolean).join(" · ");
    case "guest.revoke":
      // A revoked link names the article it was for; revoked access names the guest and the article.
      if (data.link === true) return [target ?? text(data.title), roleLabel(data.role) ? `${roleLabel(data.role)} guest link` : "Guest link"].filter(Boolean).join(" · ");
      return [target ?? "A former guest", text(data.title) ? `“${text(data.title)}”` : null, roleLabel(data.role) ? `(was ${roleLabel(data.role)})` : null].filter(Boolean).join(" · ");
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
    case "claim.approve":
    case "claim.send_back": {
      const quote = text(data.quote);
      return [target, quote ? `“${quote.length > 60 ? `${quote.slice(0, 59).trimEnd()}…` : quote}”` : null, verdict ? `verdict: ${verdict}` : null].filter(Boolean).join(" · ");
    }
    case "summary.approve":
    case "summary.send_back":
      return [target, verdict ? `overall rating: ${verdict}` : null].filter(Boolean).join(" · ");
    case "article.publish":
    case "article.republish": {
      const num = number(data.number);
      const correction = text(data.correction);
      return [target, num !== null ? `publication #${num}` : null, correction ? `correction: “${correction}”` : null].filter(Boolean).join(" · ");
    }
    case "article.unpublish": {
      const reason = text(data.reason);
      return [target, reason ? `reason: “${reason}”` : null].filter(Boolean).join(" · ");
    }
    default:
      return target ?? "";
  }
}
