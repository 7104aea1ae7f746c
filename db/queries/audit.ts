import type { DbOrTx } from "../client";
import { auditEvents } from "../schema";

/** The audited actions; later capabilities add approvals, publications and restores. */
export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_up"
  | "team.create"
  | "team.settings"
  | "invite.create"
  | "invite.accept"
  | "member.role_change"
  | "member.remove"
  | "article.import";

/** Appends one audit event. */
export async function recordAudit(
  db: DbOrTx,
  params: {
    teamId: string | null;
    actorId: string | null;
    action: AuditAction;
    targetType?: string;
    targetId?: string;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(auditEvents).values({
    teamId: params.teamId,
    actorId: params.actorId,
    action: params.action,
    targetType: params.targetType ?? null,
    targetId: params.targetId ?? null,
    data: params.data ?? {},
  });
}
