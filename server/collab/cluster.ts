import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { isEmbeddedDatabase, type Database } from "@/db/client";
import { appendLogColumns, writeCheckpoint, type RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import type { RedisSettings } from "@/lib/redis";
import { serveFlushRequests } from "@/lib/room-bus";
import { roomName } from "@/model/rooms";
import type { ApprovalEvent } from "./guard";
import type { RoomStore } from "./persistence";
import { RedisRelay, type RelayRoom } from "./redis-relay";
import { RoomLeases } from "./room-lease";

/** Where a room's log stands, as the lease holder resumes writing it. */
export interface LogPosition {
  lastUpdateId: bigint;
  rowsSinceCheckpoint: number;
}

/** What the cluster needs of a room (server/collab/room.ts) beyond what the relay needs. */
export interface ClusterRoom extends RelayRoom {
  /** Stops writing the log: another server holds the lease (or nobody yet); pending rows are dropped, the holder writes them. */
  stopWritingLog(): void;
  /** Starts writing the log after taking the lease; `missing` (what the log lacks of the document) is written first, as the server's row. */
  startWritingLog(position: LogPosition, missing: Uint8Array | undefined): void;
  /** While it does not write the log, a room hands the approvals its clients gave to this (the holder records them). */
  approvalHandOff: ((approvals: (ApprovalEvent & { actorId: string })[]) => void) | undefined;
  /** Writes what is pending now (waits for a write under way). */
  flush(): Promise<void>;
}

export interface Cluster {
  readonly serverId: string;
  /** The store rooms write through: log rows and checkpoints go through the lease session, fenced. */
  readonly store: RoomStore;
  /** A room has been loaded: it relays through Redis and competes for its lease; it writes nothing until it holds it. */
  attach(room: ClusterRoom): void;
  /** A room has been closed (flushed and checkpointed): it stops relaying and gives its lease back. */
  detach(room: ClusterRoom): Promise<void>;
  /** Whether the relay's connections to Redis are up. */
  readonly healthy: boolean;
  /** Stops relaying and ends the lease session (after every room was closed). */
  close(): Promise<void>;
}

/**
 * What `doc` holds that the stored state does not: the new structs and deletions, computed by
 * applying the document to a copy of the stored state and keeping what that changed.
 */
export function missingFromStored(stored: Uint8Array, doc: Y.Doc): Uint8Array | undefined {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, stored);
    let missing: Uint8Array | undefined;
    copy.on("update", (update: Uint8Array) => {
      missing = missing ? Y.mergeUpdates([missing, update]) : update;
    });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(stored)));
    return missing;
  } finally {
    copy.destroy();
  }
}

/**
 * Scale-out mode: several collaboration servers share rooms through Redis (server/collab/redis-relay.ts)
 * and one of them, the holder of each room's lease (server/collab/room-lease.ts), writes that room's
 * log and checkpoints for everyone: its own clients' updates and those read from the stream, each as
 * its user's row. A server that takes a lease over first writes what the log lacks of its document
 * (the previous holder's unwritten window), then carries on; a server that loses its lease stops at
 * once. So every update is stored exactly once, whichever server its client used.
 */
export function createCluster(options: { db: Database; store: RoomStore; redis: RedisSettings; databaseUrl: string }): Cluster {
  if (isEmbeddedDatabase(options.db)) {
    throw new Error("REDIS_URL (several collaboration servers) needs PostgreSQL: set DATABASE_URL. The embedded database serves one process only.");
  }
  const base = options.store;
  const serverId = randomUUID();
  const rooms = new Map<string, ClusterRoom>();
  /** Every loaded room answers flush requests from other processes (a publication, a restore): its writer by writing. */
  const flushServers = new Map<ClusterRoom, () => void>();
  /** Take-overs under way: a flush request waits for them, as the room is about to write. */
  const takingOver = new Map<ClusterRoom, Promise<void>>();
  const relay = new RedisRelay(options.redis, serverId);
  const nameOf = (ref: RoomRef) => roomName(ref.articleId, ref.room);

  function takeOver(room: ClusterRoom, generation: number): void {
    const done = completeTakeOver(room, generation).finally(() => {
      if (takingOver.get(room) === done) takingOver.delete(room);
    });
    takingOver.set(room, done);
  }

  async function completeTakeOver(room: ClusterRoom, generation: number): Promise<void> {
    try {
      // A write made under an earlier hold finishes (or fails and is dropped) before the log is read.
      await room.flush();
      const stored = await base.load(room.ref);
      if (room.closed || rooms.get(nameOf(room.ref)) !== room || leases.generation(room.ref) !== generation) return;
      // From here to startWritingLog nothing else runs: whatever the document holds beyond the stored
      // state is written as the first row, and every update after it as usual.
      Y.applyUpdate(room.doc, stored.state, "log");
      room.startWritingLog({ lastUpdateId: stored.lastUpdateId, rowsSinceCheckpoint: stored.rowsSinceCheckpoint }, missingFromStored(stored.state, room.doc));
      logger().debug({ room: room.ref, serverId }, "took over a room's log");
    } catch (error) {
      logger().error({ err: error, room: room.ref }, "could not take over a room's log; giving its lease back");
      await leases.giveBack(room.ref);
    }
  }

  const leases = new RoomLeases(options.databaseUrl, {
    gained(ref, generation) {
      const room = rooms.get(nameOf(ref));
      if (room) takeOver(room, generation);
    },
    lost(ref) {
      logger().warn({ room: ref, serverId }, "lost a room's lease; another server writes its log");
      rooms.get(nameOf(ref))?.stopWritingLog();
    },
  });

  const store: RoomStore = {
    ...base,
    append: (columns) => leases.fenced((tx) => appendLogColumns(tx, columns)),
    checkpoint: (ref, state, uptoUpdateId) => leases.fenced((tx) => writeCheckpoint(tx, { ...ref, state, uptoUpdateId })),
  };

  return {
    serverId,
    store,
    get healthy() {
      return relay.healthy;
    },
    attach(room) {
      rooms.set(nameOf(room.ref), room);
      room.stopWritingLog();
      room.approvalHandOff = (approvals) => relay.publishApprovals(room, approvals);
      relay.attach(room);
      leases.track(room.ref, room);
      flushServers.set(
        room,
        serveFlushRequests(room.ref, async () => {
          await takingOver.get(room);
          if (!room.writesLog || room.closed) return false;
          await room.flush();
          return true;
        }),
      );
    },
    async detach(room) {
      relay.detach(room);
      if (rooms.get(nameOf(room.ref)) === room) rooms.delete(nameOf(room.ref));
      flushServers.get(room)?.();
      flushServers.delete(room);
      await leases.release(room.ref, room);
    },
    async close() {
      for (const stop of flushServers.values()) stop();
      flushServers.clear();
      await relay.close();
      await leases.close();
    },
  };
}
