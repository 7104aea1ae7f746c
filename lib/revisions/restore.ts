import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { appendUpdates, type NewUpdateRow } from "@/db/queries/documents";
import { findArticleForHistory, findRevision, lockArticleHistory } from "@/db/queries/revisions";
import { replaceReviewThreads } from "@/db/queries/review";
import { AppError } from "@/lib/errors";
import { announceAppended } from "@/lib/room-bus";
import { computeRestore, type RevisionSummary } from "@/model/revisions";
import { createRevisionLocked } from "./create";
import { flushArticleRooms, seedUnopenedRooms } from "./room-states";
import { summariseRows } from "./summaries";

export interface RestoreResult {
  /** The system revision taken just before the restore. */
  before: RevisionSummary;
  /** The revision brought back. */
  restored: RevisionSummary;
  /** The system revision taken just after it. */
  after: RevisionSummary;
}

/**
 * Brings an old revision back by writing new operations, never by rewinding: the difference between
 * now and that revision is appended to each room's log as the actor's rows, and collaboration
 * servers holding the rooms are told to send them to their clients. Revisions before and after the
 * restore keep both ends in the history, and the audit log records who did it.
 */
export async function restoreRevision(db: Database, params: { teamId: string; articleId: string; number: number; actorId: string }): Promise<RestoreResult> {
  const { teamId, articleId, actorId } = params;
  const article = await findArticleForHistory(db, { teamId, articleId });
  if (!article) throw new AppError("not_found", "No such article.");
  await flushArticleRooms(articleId);
  await seedUnopenedRooms(db, { articleId, content: article.content });

  const done = await db.transaction(async (tx) => {
    await lockArticleHistory(tx, { articleId });
    const target = await findRevision(tx, { teamId, articleId, number: params.number });
    if (!target) throw new AppError("not_found", "No such revision.");
    const base = { teamId, articleId, createdBy: actorId, settings: article.settings, kind: "system" as const };
    const before = (await createRevisionLocked(tx, { ...base, reason: "before-restore" }))!;

    const updates = computeRestore({ body: before.bodyState, review: before.reviewState }, { body: target.bodyState, review: target.reviewState });
    const rows: NewUpdateRow[] = [];
    if (updates.body) rows.push({ articleId, room: "body", userId: actorId, update: updates.body });
    if (updates.review) rows.push({ articleId, room: "review", userId: actorId, update: updates.review });
    await appendUpdates(tx, rows);

    const after = (await createRevisionLocked(tx, { ...base, reason: "restore", restoredFromNumber: target.number }))!;
    await recordAudit(tx, {
      teamId,
      actorId,
      action: "revision.restore",
      targetType: "article",
      targetId: articleId,
      data: { restoredNumber: target.number, beforeNumber: before.number, afterNumber: after.number },
    });
    return { before, target, after, rooms: rows.map((r) => r.room) };
  });

  // After the commit, so that servers reading the log see the rows.
  for (const room of done.rooms) await announceAppended(db, { articleId, room });
  // The dashboard and the claims API read the projection; a room nobody has open would not refresh it.
  if (done.rooms.includes("review")) {
    const threads = done.after.content.threads;
    const threadIds = [...new Set([...done.before.content.threads, ...threads].map((t) => t.id))];
    await replaceReviewThreads(db, { articleId, teamId, threadIds, threads });
  }
  const [before, restored, after] = await summariseRows(db, [done.before, done.target, done.after]);
  return { before: before!, restored: restored!, after: after! };
}
