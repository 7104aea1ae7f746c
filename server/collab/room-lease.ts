import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database, Transaction } from "@/db/client";
import type { RoomRef } from "@/db/queries/documents";
import { leaseKey, releaseLease, sessionPid, tryTakeLeases, type LeaseKey } from "@/db/queries/room-leases";
import * as schema from "@/db/schema";
import { logger } from "@/lib/logger";

/** How often a server asks again for the leases of rooms it holds without writing them. */
export const LEASE_RETRY_MS = 1_000;

/** A write was refused because the session that holds this server's leases is gone. */
export class LeaseLostError extends Error {
  constructor() {
    super("the session holding this server's room leases has changed; its leases are gone");
    this.name = "LeaseLostError";
  }
}

interface Tracked {
  ref: RoomRef;
  key: LeaseKey;
  /** The loaded room competing for it (a room unloaded and loaded again is a new owner). */
  owner: object;
  /** Counts each time this server takes the lease; 0 while it does not hold it. */
  generation: number;
}

export interface LeaseEvents {
  /** This server has just taken the room's lease (generation: to check it still holds that one later). */
  gained(ref: RoomRef, generation: number): void;
  /** This server no longer holds the room's lease (its session ended). */
  lost(ref: RoomRef): void;
}

/**
 * One writer per room: a room's log and checkpoints are written only by the server holding its lease,
 * a PostgreSQL advisory lock held by one dedicated session per server. Every write of a held room
 * goes through that same session, in a transaction that first checks the session is still the one
 * that took the locks. If the session dies, PostgreSQL frees its locks only after its last statement
 * ended, and the check refuses every later write: a server can never write a room whose lease
 * another server may have taken (fencing without tokens). Rooms whose lease another server holds are
 * asked for again every second, so a lease left by a stopped or killed server is taken over at once.
 */
export class RoomLeases {
  private readonly client: postgres.Sql;
  private readonly db: Database;
  private readonly tracked = new Map<string, Tracked>();
  /** The backend that holds our locks; undefined until the first answer, and after a loss. */
  private pid: number | undefined;
  private generations = 0;
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private closed = false;

  constructor(
    databaseUrl: string,
    private readonly events: LeaseEvents,
    retryMs = LEASE_RETRY_MS,
  ) {
    this.client = postgres(databaseUrl, {
      max: 1,
      onnotice: () => {},
      // The name says which process holds which leases (pg_stat_activity joined with pg_locks). The
      // keepalives make PostgreSQL notice a vanished client (a machine gone, not just a process)
      // within about half a minute and free its leases, instead of after the kernel's two hours.
      connection: {
        application_name: `factdesk-lease-${process.pid}`,
        tcp_keepalives_idle: 10,
        tcp_keepalives_interval: 5,
        tcp_keepalives_count: 3,
      },
    });
    this.db = drizzle(this.client, { schema }) as Database;
    this.timer = setInterval(() => this.tick(), retryMs);
    this.timer.unref();
  }

  /**
   * Starts competing for the room's lease on behalf of `owner` (now, and every retry period while
   * another server holds it). A room loaded again while its previous copy still holds the lease
   * inherits that hold at once.
   */
  track(ref: RoomRef, owner: object): void {
    const key = leaseKey(ref);
    const id = key.join(":");
    const entry = this.tracked.get(id);
    if (entry) {
      entry.owner = owner;
      if (entry.generation) this.events.gained(ref, entry.generation);
      return;
    }
    this.tracked.set(id, { ref, key, owner, generation: 0 });
    this.tick();
  }

  /** The generation of this server's current hold on the room's lease, or 0 when it does not hold it. */
  generation(ref: RoomRef): number {
    return this.tracked.get(leaseKey(ref).join(":"))?.generation ?? 0;
  }

  /** Gives the room's lease back (after `owner`'s last write) and stops competing for it, unless a newer owner has taken over. */
  async release(ref: RoomRef, owner: object): Promise<void> {
    const key = leaseKey(ref);
    const entry = this.tracked.get(key.join(":"));
    if (!entry || entry.owner !== owner) return;
    this.tracked.delete(key.join(":"));
    if (!entry.generation || this.closed) return;
    await releaseLease(this.db, { key }).catch((error: unknown) => logger().warn({ err: error, room: ref }, "could not release a room lease"));
  }

  /**
   * Gives a held lease back but keeps competing for it (a take-over that could not be completed):
   * this server, or another one, takes it again on a later attempt.
   */
  async giveBack(ref: RoomRef): Promise<void> {
    const key = leaseKey(ref);
    const entry = this.tracked.get(key.join(":"));
    if (!entry?.generation || this.closed) return;
    entry.generation = 0;
    await releaseLease(this.db, { key }).catch((error: unknown) => logger().warn({ err: error, room: ref }, "could not give a room lease back"));
  }

  /**
   * Runs a write of held rooms on the lease session, in a transaction that first checks the session
   * still holds the leases. Throws LeaseLostError (and gives every lease up locally) when it does not.
   */
  async fenced<T>(write: (tx: Transaction) => Promise<T>): Promise<T> {
    const expected = this.pid;
    if (expected === undefined) throw new LeaseLostError();
    try {
      return await this.db.transaction(async (tx) => {
        if ((await sessionPid(tx)) !== expected) throw new LeaseLostError();
        return write(tx);
      });
    } catch (error) {
      if (error instanceof LeaseLostError) this.loseAll(expected);
      throw error;
    }
  }

  /** Ends the lease session: PostgreSQL frees every lease this server held. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.client.end({ timeout: 5 });
  }

  /** Forgets every lease taken by session `pid`, telling the rooms. */
  private loseAll(pid: number): void {
    if (this.pid !== pid) return;
    this.pid = undefined;
    for (const entry of this.tracked.values()) {
      if (!entry.generation) continue;
      entry.generation = 0;
      this.events.lost(entry.ref);
    }
  }

  private tick(): void {
    if (this.closed) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.attempt()
      .catch((error: unknown) => logger().warn({ err: error }, "could not ask for room leases; asking again shortly"))
      .finally(() => {
        this.ticking = undefined;
        if (this.tickAgain) {
          this.tickAgain = false;
          this.tick();
        }
      });
  }

  private async attempt(): Promise<void> {
    const wanted = [...this.tracked.values()].filter((entry) => !entry.generation);
    if (!wanted.length) {
      // Nothing to ask for: still check that the session holding our leases is alive.
      if (this.pid === undefined || ![...this.tracked.values()].some((entry) => entry.generation)) return;
      const pid = await sessionPid(this.db);
      if (pid !== this.pid) {
        this.loseAll(this.pid);
        this.tickAgain = true;
      }
      return;
    }
    const { pid, taken } = await tryTakeLeases(this.db, { keys: wanted.map((entry) => entry.key) });
    if (this.pid !== undefined && this.pid !== pid) {
      // A new session: the old one's leases are gone; ask for them again straight away.
      this.loseAll(this.pid);
      this.tickAgain = true;
    }
    this.pid = pid;
    for (const [i, entry] of wanted.entries()) {
      if (!taken[i]) continue;
      if (this.closed || this.tracked.get(entry.key.join(":")) !== entry) {
        // Released while we asked: give it straight back.
        await releaseLease(this.db, { key: entry.key });
        continue;
      }
      entry.generation = ++this.generations;
      this.events.gained(entry.ref, entry.generation);
    }
  }
}
