import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { roomName, type RoomKind } from "@/model/rooms";
import type { Database, DbOrTx } from "../client";
import { docCheckpoints, docUpdates } from "../schema";

export interface RoomRef {
  articleId: string;
  room: RoomKind;
}

export interface StoredRoom {
  /** The newest checkpoint's state, if any. */
  checkpoint?: Uint8Array;
  /** Log rows after that checkpoint, oldest first. */
  updates: Uint8Array[];
  /** The id of the last log row included (0 when the log is empty). */
  lastUpdateId: bigint;
}

/** Reads what is needed to rebuild a room: its newest checkpoint and the log after it. */
export async function loadRoom(db: DbOrTx, ref: RoomRef): Promise<StoredRoom> {
  const [checkpoint] = await db
    .select({ state: docCheckpoints.state, upto: docCheckpoints.uptoUpdateId })
    .from(docCheckpoints)
    .where(and(eq(docCheckpoints.articleId, ref.articleId), eq(docCheckpoints.room, ref.room)))
    .orderBy(desc(docCheckpoints.id))
    .limit(1);
  const after = checkpoint?.upto ?? 0n;
  const rows = await db
    .select({ id: docUpdates.id, update: docUpdates.update })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, ref.articleId), eq(docUpdates.room, ref.room), gt(docUpdates.id, after)))
    .orderBy(asc(docUpdates.id));
  return {
    checkpoint: checkpoint?.state,
    updates: rows.map((r) => r.update),
    lastUpdateId: rows.at(-1)?.id ?? after,
  };
}

export interface NewUpdateRow extends RoomRef {
  userId: string | null;
  update: Uint8Array;
}

/**
 * Appends log rows, for any number of rooms, in one statement; returns the id of the last row
 * written per room (keyed by `roomName`).
 */
export async function appendUpdates(db: DbOrTx, rows: NewUpdateRow[]): Promise<Map<string, bigint>> {
  const last = new Map<string, bigint>();
  if (!rows.length) return last;
  const inserted = await db
    .insert(docUpdates)
    .values(rows.map((r) => ({ articleId: r.articleId, room: r.room, userId: r.userId, update: r.update })))
    .returning({ id: docUpdates.id, articleId: docUpdates.articleId, room: docUpdates.room });
  for (const row of inserted) {
    const key = roomName(row.articleId, row.room);
    if (row.id > (last.get(key) ?? 0n)) last.set(key, row.id);
  }
  return last;
}

/** Stores a compacted state covering the log up to `uptoUpdateId`. */
export async function writeCheckpoint(db: DbOrTx, params: RoomRef & { state: Uint8Array; uptoUpdateId: bigint }): Promise<void> {
  await db.insert(docCheckpoints).values({ articleId: params.articleId, room: params.room, state: params.state, uptoUpdateId: params.uptoUpdateId });
}

/**
 * Writes a room's first content exactly once, even when two servers load the room at the same time:
 * the room is locked for the transaction and the seed is written only if the log is still empty.
 */
export async function seedRoomOnce(db: Database, params: RoomRef & { seed: () => Uint8Array }): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${params.articleId}/${params.room}`}))`);
    const [existing] = await tx
      .select({ id: docUpdates.id })
      .from(docUpdates)
      .where(and(eq(docUpdates.articleId, params.articleId), eq(docUpdates.room, params.room)))
      .limit(1);
    if (existing) return false;
    await appendUpdates(tx, [{ articleId: params.articleId, room: params.room, userId: null, update: params.seed() }]);
    return true;
  });
}

/** Counts log rows for a room (tests and diagnostics). */
export async function countRoomUpdates(db: DbOrTx, ref: RoomRef): Promise<number> {
  return db.$count(docUpdates, and(eq(docUpdates.articleId, ref.articleId), eq(docUpdates.room, ref.room)));
}
