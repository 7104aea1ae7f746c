import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { roomName } from "@/model/rooms";
import type { DbOrTx } from "../client";
import type { RoomRef } from "./documents";

/**
 * A room's lease is a session-level PostgreSQL advisory lock with a two-integer key. Two-integer keys
 * live apart from the one-bigint keys of the transaction locks (seeding, article history), so a
 * held lease never blocks those; the 64 bits come from a hash of the room's name, so two rooms
 * sharing a lease by accident is as likely as a 64-bit collision.
 */
export type LeaseKey = readonly [number, number];

/** The advisory-lock key of a room's lease. */
export function leaseKey(ref: RoomRef): LeaseKey {
  const digest = createHash("sha256").update(roomName(ref.articleId, ref.room)).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/** The server process behind the current session (a reconnect changes it, and drops its locks). */
export async function sessionPid(db: DbOrTx): Promise<number> {
  const [row] = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
  return Number(row!.pid);
}

/**
 * Tries to take the leases of several rooms without waiting; answers which were taken (in the order
 * of `keys`) and by which session. A lease this session already holds is taken once more: callers
 * ask only for those they lack.
 */
export async function tryTakeLeases(db: DbOrTx, params: { keys: readonly LeaseKey[] }): Promise<{ pid: number; taken: boolean[] }> {
  const [row] = await db.execute<{ pid: number; taken: boolean[] | null }>(sql`
    select pg_backend_pid() as pid,
      array_agg(pg_try_advisory_lock(k1, k2) order by position) as taken
    from unnest(${sql.param(params.keys.map((k) => k[0]))}::int[], ${sql.param(params.keys.map((k) => k[1]))}::int[])
      with ordinality as keys (k1, k2, position)`);
  return { pid: Number(row!.pid), taken: row!.taken ?? [] };
}

/** Gives a lease back; false when this session did not hold it. */
export async function releaseLease(db: DbOrTx, params: { key: LeaseKey }): Promise<boolean> {
  const [row] = await db.execute<{ released: boolean }>(sql`select pg_advisory_unlock(${params.key[0]}::int, ${params.key[1]}::int) as released`);
  return Boolean(row?.released);
}

/** Whether any session holds the room's lease (that is, some collaboration server writes its log). */
export async function leaseIsHeld(db: DbOrTx, params: { key: LeaseKey }): Promise<boolean> {
  const [row] = await db.execute<{ held: boolean }>(sql`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())
        and classid = (${params.key[0]}::int)::oid and objid = (${params.key[1]}::int)::oid and objsubid = 2
    ) as held`);
  return Boolean(row?.held);
}
