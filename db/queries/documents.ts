import { and, asc, desc, eq, gt, isNotNull, lte, sql } from "drizzle-orm";
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
 * Log rows by column, as the collaboration server's writer gathers them: entry i of each array is
 * one row. The writer builds no object per row, so that a busy window adds nothing the garbage
 * collector has to promote.
 */
export interface LogColumns {
  articleIds: string[];
  rooms: RoomKind[];
  userIds: (string | null)[];
  updates: Uint8Array[];
}

/** Empty columns to fill. */
export function emptyLogColumns(): LogColumns {
  return { articleIds: [], rooms: [], userIds: [], updates: [] };
}

/** Appends log rows given one by one (restores, seeds, tests); see appendLogColumns. */
export async function appendUpdates(db: DbOrTx, rows: NewUpdateRow[]): Promise<Map<string, bigint>> {
  const columns = emptyLogColumns();
  for (const row of rows) {
    columns.articleIds.push(row.articleId);
    columns.rooms.push(row.room);
    columns.userIds.push(row.userId);
    columns.updates.push(row.update);
  }
  return appendLogColumns(db, columns);
}

/**
 * Appends log rows, for any number of rooms, in one statement; returns the id of the last row
 * written per room (keyed by `roomName`). Each column travels as one comma-separated text (uuids,
 * room names and hex never hold a comma): the statement's text is the same whatever the number of
 * rows, so PostgreSQL prepares it once, and no query builder nor per-element array quoting runs on
 * the collaboration server's hot path. The ids come back as one text too, not as a row per inserted
 * row: a busy server writes hundreds of rows a second, and every result row the driver parsed was
 * garbage that outlived the relay's young-generation collections.
 */
export async function appendLogColumns(db: DbOrTx, columns: LogColumns): Promise<Map<string, bigint>> {
  const last = new Map<string, bigint>();
  const count = columns.updates.length;
  if (!count) return last;
  const hex = columns.updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString("hex"));
  const [written] = await db.execute<{ ids: string }>(sql`
    with inserted as (
      insert into ${docUpdates} (article_id, room, user_id, update)
      select article_id::uuid, room, nullif(user_id, '')::uuid, coalesce(decode(update_hex, 'hex'), ''::bytea)
      from unnest(
        string_to_array(${columns.articleIds.join(",")}::text, ','),
        string_to_array(${columns.rooms.join(",")}::text, ','),
        string_to_array(${columns.userIds.map((id) => id ?? "").join(",")}::text, ','),
        string_to_array(${hex.join(",")}::text, ',')
      ) with ordinality as rows (article_id, room, user_id, update_hex, position)
      -- Ids follow the columns' order, which keeps each room's rows in the order they were made.
      order by position
      returning id
    )
    select string_agg(id::text, ',' order by id) as ids from inserted`);
  const ids = written?.ids.split(",") ?? [];
  if (ids.length !== count) throw new Error(`the update log took ${ids.length} of ${count} rows`);
  // The n-th smallest id is the n-th row; a room's later rows have larger ids.
  for (let i = 0; i < count; i++) last.set(roomName(columns.articleIds[i]!, columns.rooms[i]!), BigInt(ids[i]!));
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

/** A room's log rows after `afterId`, oldest first (what a loaded room lacks after someone else appended). */
export async function readRoomLogAfter(db: DbOrTx, params: RoomRef & { afterId: bigint }): Promise<{ id: bigint; update: Uint8Array }[]> {
  return db
    .select({ id: docUpdates.id, update: docUpdates.update })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, params.articleId), eq(docUpdates.room, params.room), gt(docUpdates.id, params.afterId)))
    .orderBy(asc(docUpdates.id));
}

/** The id of a room's last log row, 0 when the log is empty. */
export async function lastLogId(db: DbOrTx, ref: RoomRef): Promise<bigint> {
  const [row] = await db
    .select({ id: docUpdates.id })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, ref.articleId), eq(docUpdates.room, ref.room)))
    .orderBy(desc(docUpdates.id))
    .limit(1);
  return row?.id ?? 0n;
}

/**
 * What rebuilds a room as it was at log position `upto`: the newest checkpoint that does not go past
 * it, and the log rows after that checkpoint up to and including `upto`.
 */
export async function loadRoomAt(db: DbOrTx, params: RoomRef & { upto: bigint }): Promise<StoredRoom> {
  const [checkpoint] = await db
    .select({ state: docCheckpoints.state, upto: docCheckpoints.uptoUpdateId })
    .from(docCheckpoints)
    .where(and(eq(docCheckpoints.articleId, params.articleId), eq(docCheckpoints.room, params.room), lte(docCheckpoints.uptoUpdateId, params.upto)))
    .orderBy(desc(docCheckpoints.uptoUpdateId), desc(docCheckpoints.id))
    .limit(1);
  const after = checkpoint?.upto ?? 0n;
  const rows = await db
    .select({ id: docUpdates.id, update: docUpdates.update })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, params.articleId), eq(docUpdates.room, params.room), gt(docUpdates.id, after), lte(docUpdates.id, params.upto)))
    .orderBy(asc(docUpdates.id));
  return { checkpoint: checkpoint?.state, updates: rows.map((r) => r.update), lastUpdateId: rows.at(-1)?.id ?? after };
}

export interface LogRowRecord {
  id: bigint;
  userId: string | null;
  createdAt: Date;
  update: Uint8Array;
}

/** A room's log rows with their writers and times, oldest first, optionally only those up to `uptoId`. */
export async function readLogRows(db: DbOrTx, params: RoomRef & { uptoId?: bigint }): Promise<LogRowRecord[]> {
  const scope = and(eq(docUpdates.articleId, params.articleId), eq(docUpdates.room, params.room));
  return db
    .select({ id: docUpdates.id, userId: docUpdates.userId, createdAt: docUpdates.createdAt, update: docUpdates.update })
    .from(docUpdates)
    .where(params.uptoId === undefined ? scope : and(scope, lte(docUpdates.id, params.uptoId)))
    .orderBy(asc(docUpdates.id));
}

/** The distinct users (never the server) who wrote log rows of a room with ids in (afterId, uptoId]. */
export async function logWriters(db: DbOrTx, params: RoomRef & { afterId: bigint; uptoId: bigint }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: docUpdates.userId })
    .from(docUpdates)
    .where(
      and(
        eq(docUpdates.articleId, params.articleId),
        eq(docUpdates.room, params.room),
        gt(docUpdates.id, params.afterId),
        lte(docUpdates.id, params.uptoId),
        isNotNull(docUpdates.userId),
      ),
    );
  return rows.flatMap((r) => (r.userId ? [r.userId] : []));
}
