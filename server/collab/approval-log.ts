import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { createRevision } from "@/lib/revisions";
import type { ApprovalRecord, Room } from "./room";

/**
 * Records approvals given and withdrawn in the audit log and the history: one audit event each
 * (target: the article; data: the claim's thread, quote and verdict), then a system revision with
 * reason "approval" per person, so the history shows the state that was approved. It runs after the
 * updates are stored and off the path of the updates themselves; a failure is logged, the approval
 * itself stands.
 */
export function createApprovalLog(db: Database) {
  const running = new Set<Promise<void>>();
  // One chain per article, so an article's revisions are taken in the order its approvals came.
  const chains = new Map<string, Promise<void>>();

  const write = async (articleId: string, teamId: string, approvals: ApprovalRecord[]) => {
    for (const { actorId, action, threadId, quote, verdict } of approvals) {
      await recordAudit(db, {
        teamId,
        actorId,
        action,
        targetType: "article",
        targetId: articleId,
        data: threadId ? { threadId, quote, verdict } : { verdict },
      });
    }
    for (const actorId of new Set(approvals.map((a) => a.actorId))) {
      await createRevision(db, { articleId, teamId, kind: "system", reason: "approval", createdBy: actorId }).catch((error: unknown) => {
        // The article was deleted meanwhile: there is no history left to add to.
        if (!(isAppError(error) && error.code === "not_found")) throw error;
      });
    }
  };

  return {
    /** Records the approvals of a room's update that has just been stored. */
    record(room: Room, approvals: ApprovalRecord[]): void {
      const { articleId } = room.ref;
      const done = (chains.get(articleId) ?? Promise.resolve())
        .then(() => write(articleId, room.teamId, approvals))
        .catch((error: unknown) => logger().error({ err: error, room: room.ref }, "could not record approvals in the audit log and history"));
      chains.set(articleId, done);
      running.add(done);
      void done.finally(() => {
        running.delete(done);
        if (chains.get(articleId) === done) chains.delete(articleId);
      });
    },
    /** Waits for everything under way (on shutdown). */
    async flush(): Promise<void> {
      await Promise.all(running);
    },
  };
}
