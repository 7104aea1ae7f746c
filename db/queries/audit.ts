import { and, desc, eq, gte, inArray, isNull, lt, lte, type SQL } from "drizzle-orm";
import type { AuditAction } from "@/model/schemas/audit";
import type { DbOrTx } from "../client";
import { articles, auditEvents, memberships, teams, users } from "../schema";

export type { AuditAction };

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

/** The filters of a desk's audit log; every one is optional except the desk. */
export interface AuditFilter {
  teamId: string;
  action?: AuditAction;
  actorId?: string;
  /** Inclusive bounds on the event's time. */
  from?: Date;
  to?: Date;
  /** Only events with a smaller id (the cursor of the next page). */
  before?: number;
}

/** One event of a desk's audit log, with the names it refers to resolved where still possible. */
export interface AuditEventRow {
  id: number;
  createdAt: Date;
  action: AuditAction;
  actorId: string | null;
  actorName: string | null;
  targetType: string | null;
  targetId: string | null;
  /** The article's title, the member's name, the desk's name; null when it cannot be resolved. */
  targetLabel: string | null;
  data: Record<string, unknown>;
}

const eventColumns = {
  id: auditEvents.id,
  createdAt: auditEvents.createdAt,
  action: auditEvents.action,
  actorId: auditEvents.actorId,
  actorName: users.name,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  data: auditEvents.data,
};

/**
 * A page of a desk's audit log, newest first (by id, which is also the order of recording). Ask for
 * one more than you show to learn whether there is a next page.
 *
 * Sign-ins belong to no desk, yet the desk's log shows them: those of its current members, made while
 * they were members, so that joining a desk does not reveal one's earlier sign-ins. They are read
 * apart (through the members and the actor index) and merged, so that neither read scans the whole
 * log of every desk.
 */
export async function listAuditEvents(db: DbOrTx, params: AuditFilter & { limit: number }): Promise<AuditEventRow[]> {
  const filters: (SQL | undefined)[] = [
    params.action ? eq(auditEvents.action, params.action) : undefined,
    params.actorId ? eq(auditEvents.actorId, params.actorId) : undefined,
    params.from ? gte(auditEvents.createdAt, params.from) : undefined,
    params.to ? lte(auditEvents.createdAt, params.to) : undefined,
    params.before !== undefined ? lt(auditEvents.id, params.before) : undefined,
  ];
  const deskEvents = db
    .select(eventColumns)
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(eq(auditEvents.teamId, params.teamId), ...filters))
    .orderBy(desc(auditEvents.id))
    .limit(params.limit);
  const wantsSignIns = !params.action || params.action === "auth.sign_in";
  const memberSignIns = wantsSignIns
    ? db
        .select(eventColumns)
        .from(memberships)
        .innerJoin(auditEvents, and(eq(auditEvents.actorId, memberships.userId), gte(auditEvents.createdAt, memberships.createdAt)))
        .leftJoin(users, eq(users.id, auditEvents.actorId))
        .where(and(eq(memberships.teamId, params.teamId), isNull(auditEvents.teamId), eq(auditEvents.action, "auth.sign_in"), ...filters))
        .orderBy(desc(auditEvents.id))
        .limit(params.limit)
    : Promise.resolve([]);
  const [own, signIns] = await Promise.all([deskEvents, memberSignIns]);
  const rows = [...own, ...signIns].sort((a, b) => b.id - a.id).slice(0, params.limit);
  const labels = await resolveTargets(db, params.teamId, rows);
  return rows.map((r) => {
    const data = (r.data && typeof r.data === "object" ? r.data : {}) as Record<string, unknown>;
    const label = labels.get(`${r.targetType}:${r.targetId}`) ?? fallbackLabel(r.targetType, data);
    return { ...r, action: r.action as AuditAction, data, targetLabel: label };
  });
}

// The title an import recorded stays readable after the article is deleted.
function fallbackLabel(targetType: string | null, data: Record<string, unknown>): string | null {
  return targetType === "article" && typeof data.title === "string" ? data.title : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names for the targets of some events, keyed "type:id"; looked up per kind, only within the desk.
 * Invites carry no address (they are links), so they stay unnamed and are described by their role.
 */
async function resolveTargets(db: DbOrTx, teamId: string, rows: { targetType: string | null; targetId: string | null }[]): Promise<Map<string, string>> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId && UUID.test(r.targetId)).map((r) => r.targetId!))];
  const [articleIds, userIds, teamIds] = [idsOf("article"), idsOf("user"), idsOf("team")];
  const [articleRows, userRows, teamRows] = await Promise.all([
    articleIds.length
      ? db
          .select({ id: articles.id, label: articles.title })
          .from(articles)
          .where(and(eq(articles.teamId, teamId), inArray(articles.id, articleIds)))
      : [],
    userIds.length ? db.select({ id: users.id, label: users.name }).from(users).where(inArray(users.id, userIds)) : [],
    teamIds.includes(teamId) ? db.select({ id: teams.id, label: teams.name }).from(teams).where(eq(teams.id, teamId)) : [],
  ]);
  const labels = new Map<string, string>();
  for (const r of articleRows) labels.set(`article:${r.id}`, r.label);
  for (const r of userRows) labels.set(`user:${r.id}`, r.label);
  for (const r of teamRows) labels.set(`team:${r.id}`, r.label);
  return labels;
}
