import { z } from "zod";
import { id } from "./common";

/** Every audited action; db/queries/audit.ts records only these. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_up",
  "auth.password_change",
  "auth.sign_out_everywhere",
  "auth.token_create",
  "auth.token_revoke",
  "team.create",
  "team.settings",
  "invite.create",
  "invite.accept",
  "guest.invite",
  "guest.accept",
  "guest.revoke",
  "member.role_change",
  "member.remove",
  "article.import",
  "revision.create",
  "revision.restore",
  "claim.approve",
  "claim.send_back",
  "summary.approve",
  "summary.send_back",
  "article.publish",
  "article.republish",
  "article.unpublish",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the audit log and its CSV export name each action. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_up": "Created an account",
  "auth.password_change": "Changed their password",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "auth.token_create": "Created an API token",
  "auth.token_revoke": "Revoked an API token",
  "team.create": "Created the desk",
  "team.settings": "Changed the verdict scale",
  "invite.create": "Created an invite link",
  "invite.accept": "Joined through an invite",
  "guest.invite": "Invited a guest to an article",
  "guest.accept": "Joined an article as a guest",
  "guest.revoke": "Revoked a guest's access",
  "member.role_change": "Changed a role",
  "member.remove": "Removed a member",
  "article.import": "Imported an article",
  "revision.create": "Saved a version",
  "revision.restore": "Restored a version",
  "claim.approve": "Approved a claim",
  "claim.send_back": "Sent a claim back",
  "summary.approve": "Approved the summary",
  "summary.send_back": "Sent the summary back",
  "article.publish": "Published an article",
  "article.republish": "Republished an article with a correction",
  "article.unpublish": "Unpublished an article",
};

/** The most events one CSV export holds. */
export const AUDIT_CSV_MAX_ROWS = 50_000;

// A form that leaves a filter empty sends `action=`; that means "no filter", not a bad value.
const blankAsAbsent = (value: unknown) => (value === "" ? undefined : value);

// A calendar day (a whole UTC day) or an exact instant with its offset.
const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * Query of GET /api/teams/:team/audit. `from` and `to` are inclusive: a bare date covers its whole
 * UTC day; an instant is taken as is (the page sends the bounds of the viewer's local days).
 */
export const auditQuery = z
  .object({
    action: z.preprocess(blankAsAbsent, z.enum(AUDIT_ACTIONS).optional()),
    actorId: z.preprocess(blankAsAbsent, id.optional()),
    from: z.preprocess(blankAsAbsent, dateOrInstant.optional()),
    to: z.preprocess(blankAsAbsent, dateOrInstant.optional()),
    before: z.preprocess(blankAsAbsent, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional()),
    limit: z.preprocess(blankAsAbsent, z.coerce.number().int().min(1).max(200).default(50)),
    format: z.preprocess(blankAsAbsent, z.enum(["json", "csv"]).default("json")),
  })
  .transform(({ from, to, ...rest }, ctx) => {
    const fromAt = from === undefined ? undefined : dayStartOrInstant(from);
    const toAt = to === undefined ? undefined : dayEndOrInstant(to);
    if (fromAt && toAt && fromAt > toAt) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range is before its start." });
      return z.NEVER;
    }
    return { ...rest, from: fromAt, to: toAt };
  });
export type AuditQuery = z.infer<typeof auditQuery>;

function dayStartOrInstant(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value);
}

function dayEndOrInstant(value: string): Date {
  return new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value);
}

/** A person as the audit log shows them. */
export interface AuditPerson {
  id: string;
  name: string;
  colour: string;
}

/** One event of GET /api/teams/:team/audit. */
export interface AuditEventView {
  id: number;
  /** ISO instant. */
  at: string;
  action: AuditAction;
  /** Null when the account was deleted or for the system. */
  actor: AuditPerson | null;
  targetType: string | null;
  targetId: string | null;
  /** The article title, member name or invite it concerns, when it can still be resolved. */
  targetLabel: string | null;
  data: Record<string, unknown>;
}

/** Body of GET /api/teams/:team/audit (JSON). */
export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  nextBefore: number | null;
}
