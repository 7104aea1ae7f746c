import * as Y from "yjs";
import type { Database } from "@/db/client";
import { findArticleContent, touchArticles } from "@/db/queries/articles";
import { appendLogColumns, loadRoom, readRoomLogAfter, seedRoomOnce, writeCheckpoint, type LogColumns, type RoomRef } from "@/db/queries/documents";
import { encodeBodySeed } from "@/model/article-doc";
import { encodeReviewSeed } from "@/model/review";

/**
 * Where rooms are stored. Kept this narrow so that a Redis relay or a writer lease can wrap it
 * later without the rooms knowing.
 */
export interface RoomStore {
  /** Rebuilds a room's state from its checkpoint and log, seeding an empty room first (the article text, or the review schema version; the summary needs none). */
  load(ref: RoomRef): Promise<{ state: Uint8Array; lastUpdateId: bigint; rowsSinceCheckpoint: number }>;
  /** Appends log rows of any number of rooms in one write; returns the last id written per room name. */
  append(columns: LogColumns): Promise<Map<string, bigint>>;
  /** Marks articles as just worked on (the dashboard's "last activity"). */
  touch(articleIds: string[]): Promise<void>;
  /** Stores a compacted state that covers the log up to `uptoUpdateId`. */
  checkpoint(ref: RoomRef, state: Uint8Array, uptoUpdateId: bigint): Promise<void>;
  /** The log rows after `afterId`, oldest first (rows another writer appended, such as a restore). */
  readAfter(ref: RoomRef, afterId: bigint): Promise<{ id: bigint; update: Uint8Array }[]>;
}

/** The PostgreSQL-backed store. */
export function createPostgresRoomStore(db: Database): RoomStore {
  return {
    async load(ref) {
      // Only the server seeds, and only into an empty log, so a client can never duplicate the text.
      if (ref.room === "body") {
        const content = await findArticleContent(db, { articleId: ref.articleId });
        if (content) await seedRoomOnce(db, { ...ref, seed: () => encodeBodySeed(content) });
      } else if (ref.room === "review") {
        await seedRoomOnce(db, { ...ref, seed: encodeReviewSeed });
      }
      // The summary starts empty: its first writer creates what it needs.
      const stored = await loadRoom(db, ref);
      const parts = stored.checkpoint ? [stored.checkpoint, ...stored.updates] : stored.updates;
      const state = parts.length ? Y.mergeUpdates(parts) : Y.encodeStateAsUpdate(new Y.Doc());
      return { state, lastUpdateId: stored.lastUpdateId, rowsSinceCheckpoint: stored.updates.length };
    },
    append: (columns) => appendLogColumns(db, columns),
    touch: (articleIds) => touchArticles(db, { articleIds }),
    checkpoint: (ref, state, uptoUpdateId) => writeCheckpoint(db, { ...ref, state, uptoUpdateId }),
    readAfter: (ref, afterId) => readRoomLogAfter(db, { ...ref, afterId }),
  };
}
