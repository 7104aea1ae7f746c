import type { Database } from "@/db/client";
import { replaceReviewThreads } from "@/db/queries/review";
import { logger } from "@/lib/logger";
import { readThread } from "@/model/review";
import type { Room } from "./room";

/** How long after a persisted change the projection is refreshed; bursts of edits cost one refresh. */
export const PROJECTION_DELAY_MS = 1_000;

/**
 * Copies each review room's changed threads into relational tables shortly after they were
 * persisted. Only the threads touched since the last projection are read and rewritten, so an
 * article with a thousand evidence items costs no more than one with ten. The document is read when
 * the timer fires (or at once when the room closes), never on the hot path.
 */
export function createProjector(db: Database) {
  const timers = new Map<Room, NodeJS.Timeout>();
  // One chain of writes per article: two replacements of the same rows must not interleave.
  const chains = new Map<string, Promise<void>>();

  const project = (room: Room) => {
    const threadIds = [...room.takeChangedThreads()];
    if (!threadIds.length) return;
    const threads = threadIds.flatMap((id) => readThread(room.doc, id) ?? []);
    const { articleId } = room.ref;
    const write = (chains.get(articleId) ?? Promise.resolve())
      .then(() => replaceReviewThreads(db, { articleId, teamId: room.teamId, threadIds, threads }))
      .catch((error: unknown) => logger().error({ err: error, room: room.ref }, "review projection failed"));
    chains.set(articleId, write);
    void write.finally(() => {
      if (chains.get(articleId) === write) chains.delete(articleId);
    });
  };

  return {
    /** Refreshes the room's projection soon, or now when the room is closing. */
    schedule(room: Room, final: boolean): void {
      const pending = timers.get(room);
      if (final) {
        if (pending) clearTimeout(pending);
        timers.delete(room);
        project(room);
        return;
      }
      if (pending) return;
      timers.set(
        room,
        setTimeout(() => {
          timers.delete(room);
          if (!room.closed) project(room);
        }, PROJECTION_DELAY_MS),
      );
    },
    /** Waits for every projection write under way. */
    async flush(): Promise<void> {
      await Promise.all(chains.values());
    },
  };
}
