import { RESP_TYPES } from "redis";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { RoomRef } from "@/db/queries/documents";
import { reportHealth } from "@/lib/health";
import { logger } from "@/lib/logger";
import type { RedisSettings } from "@/lib/redis";
import { createRedisClient, type RedisClient } from "@/lib/redis-client";
import { roomName } from "@/model/rooms";
import type { ApprovalEvent } from "./guard";
import { decodeAwarenessUpdate } from "./protocol";
import { decodePresenceMessage, encodePresenceMessage, entryFields, parseEntry, type PresenceMessage, type RelayEntry } from "./relay-messages";

/** Entries a room's stream keeps (trimmed approximately): several seconds of the busiest article. */
export const STREAM_MAX_LEN = 2_000;
/** A stream nobody writes to any more disappears after this long. */
const STREAM_TTL_MS = 60 * 60_000;
/** How far back a server reads a room's stream when it loads the room: edits a server made just before it died are picked up. */
const ATTACH_LOOKBACK_MS = 10_000;
const READ_BLOCK_MS = 5_000;
const READ_COUNT = 512;
/** Every server says it is alive this often; one silent for DEAD_AFTER_MS is gone, and its clients' presence with it. */
const HEARTBEAT_MS = 2_000;
const DEAD_AFTER_MS = 7_000;
/** After a failed write to a stream, the room is resynchronised this soon (or as soon as Redis is back). */
const RESYNC_DELAY_MS = 500;

/** What the relay needs of a room (server/collab/room.ts). */
export interface RelayRoom {
  readonly ref: RoomRef;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly closed: boolean;
  /** Whether this server writes the room's log (it holds the room's lease). */
  readonly writesLog: boolean;
  recordApprovals(approvals: ApprovalEvent[], userId: string): void;
}

/**
 * The origin of an update that came from another server. The room relays it to its own clients and,
 * on the lease holder, stores it as the row of `userId` (the room reads `userId` off any origin); the
 * relay never publishes it again.
 */
export class RelayOrigin {
  private static readonly byUser = new Map<string | null, RelayOrigin>();
  private constructor(readonly userId: string | null) {}

  /** One origin object per user, so relaying allocates nothing per update. */
  static of(userId: string | null): RelayOrigin {
    let origin = RelayOrigin.byUser.get(userId);
    if (!origin) {
      if (RelayOrigin.byUser.size > 10_000) RelayOrigin.byUser.clear();
      origin = new RelayOrigin(userId);
      RelayOrigin.byUser.set(userId, origin);
    }
    return origin;
  }
}

/** Presence relayed from other servers carries this origin, so it is not published back. */
const PRESENCE_ORIGIN = "relay";

interface Relayed {
  room: RelayRoom;
  stream: string;
  channel: string;
  /** The id of the last stream entry read. */
  cursor: string;
  /** This server's sequence number for the room's stream. */
  seq: number;
  /** The last sequence number read from each other server. */
  seen: Map<string, number>;
  /** Awareness client ids whose states came from another server, and which one. */
  remote: Map<number, string>;
  /** A resynchronisation owed because a write to Redis failed or was not possible. */
  resyncOwed: boolean;
  pushOwed: boolean;
  expiresAt: number;
  onUpdate: (update: Uint8Array, origin: unknown) => void;
  onPresence: (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;
  onMessage: (message: Buffer) => void;
}

/** Orders two stream ids ("<ms>-<seq>"). */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split("-").map(Number);
  const [bm = 0, bs = 0] = b.split("-").map(Number);
  return am - bm || as - bs;
}

function since(ms: number): string {
  return `${Math.max(0, Date.now() - ms)}-0`;
}

interface StreamReply {
  name: string | Buffer;
  messages: { id: string | Buffer; message: Record<string, Buffer> }[];
}

/**
 * Shares the rooms of several collaboration servers through Redis.
 * - **Updates** go into one Redis Stream per room (XADD by the server whose client made them, trimmed
 *   to a few thousand entries); every server holding the room reads it (XREAD BLOCK on a connection of
 *   its own) and applies what other servers added, in order. Entries carry per-server sequence numbers:
 *   a gap (an entry trimmed before it was read) makes the reader ask for a resynchronisation.
 * - **Resynchronisation**: a server adds its state vector to the stream; every other server answers with
 *   the update the asker lacks. It happens when a server loads a room, when it sees a gap, and when
 *   its connection to Redis comes back (then it also adds its whole state, which holds whatever it
 *   could not send meanwhile). The rooms therefore converge after any loss of messages.
 * - **Presence** goes over pub/sub, one channel per room: losing a message is harmless, as clients
 *   send theirs again. A server that stops saying it is alive has its clients' presence removed.
 * - While Redis is unreachable every server goes on serving its own clients and reports the relay as
 *   degraded in its health; nothing waits for Redis.
 */
export class RedisRelay {
  private readonly command: RedisClient;
  private readonly reader: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly rooms = new Map<string, Relayed>();
  private readonly wakeKey: string;
  private wakeCursor = "0-0";
  private readonly serversChannel: string;
  /** When each other server last said it was alive. */
  private readonly alive = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly resyncTimer: NodeJS.Timeout;
  private reading: Promise<void> | undefined;
  /** True while any of the connections is down; the first moment all are up again resynchronises. */
  private degraded = true;
  private everConnected = false;
  private closed = false;
  /** Set while a `stored` entry is applied, so that the update it causes is not published again. */
  private applyingStored = false;

  constructor(
    private readonly settings: RedisSettings,
    readonly serverId: string,
  ) {
    this.command = createRedisClient(settings, "relay");
    this.reader = createRedisClient(settings, "relay-reader");
    this.subscriber = createRedisClient(settings, "relay-presence");
    this.wakeKey = `${settings.keyPrefix}wake:${serverId}`;
    this.serversChannel = `${settings.keyPrefix}servers`;
    for (const client of [this.command, this.reader, this.subscriber]) {
      client.on("ready", () => this.connectionsChanged());
      client.on("error", () => this.connectionsChanged());
      client.on("end", () => this.connectionsChanged());
      client.connect().catch((error: unknown) => {
        if (!this.closed) logger().error({ err: error }, "could not connect to Redis; the relay stays degraded");
      });
    }
    this.report();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.resyncTimer = setInterval(() => this.payDebts(), RESYNC_DELAY_MS);
    this.resyncTimer.unref();
    this.reading = this.readLoop();
  }

  /** Starts relaying a loaded room: reads its stream and presence, and asks the other servers for what it lacks. */
  attach(room: RelayRoom): void {
    const name = roomName(room.ref.articleId, room.ref.room);
    const previous = this.rooms.get(name);
    if (previous?.room === room) return;
    // The room was unloaded and loaded again before its old copy was detached.
    if (previous) this.detach(previous.room);
    const relayed: Relayed = {
      room,
      stream: `${this.settings.keyPrefix}room:${name}`,
      channel: `${this.settings.keyPrefix}presence:${name}`,
      cursor: since(ATTACH_LOOKBACK_MS),
      seq: 0,
      seen: new Map(),
      remote: new Map(),
      resyncOwed: false,
      pushOwed: false,
      expiresAt: 0,
      onUpdate: (update, origin) => this.published(relayed, update, origin),
      onPresence: (change, origin) => this.presenceChanged(relayed, change, origin),
      onMessage: (message) => this.presenceReceived(relayed, message),
    };
    this.rooms.set(name, relayed);
    room.doc.on("update", relayed.onUpdate);
    room.awareness.on("update", relayed.onPresence);
    this.subscribe(relayed);
    this.resync(relayed, false);
    this.wake();
  }

  /** Stops relaying a room (it is being unloaded). */
  detach(room: RelayRoom): void {
    const name = roomName(room.ref.articleId, room.ref.room);
    const relayed = this.rooms.get(name);
    if (!relayed || relayed.room !== room) return;
    this.rooms.delete(name);
    room.doc.off("update", relayed.onUpdate);
    room.awareness.off("update", relayed.onPresence);
    if (this.subscriber.isReady) this.subscriber.unsubscribe(relayed.channel, relayed.onMessage, true).catch(() => {});
    this.wake();
  }

  /**
   * Hands the approvals of an update this server accepted but does not store (another server holds
   * the room's lease) to the lease holder, which records them once the update is stored.
   */
  publishApprovals(room: RelayRoom, approvals: (ApprovalEvent & { actorId: string })[]): void {
    const relayed = this.rooms.get(roomName(room.ref.articleId, room.ref.room));
    if (!relayed) return;
    for (const actorId of new Set(approvals.map((a) => a.actorId))) {
      const own = approvals.filter((a) => a.actorId === actorId).map(({ action, threadId, quote, verdict }) => ({ action, threadId, quote, verdict }));
      this.append(relayed, { type: "approvals", origin: this.serverId, seq: 0, userId: actorId, approvals: own });
    }
  }

  /** Whether every connection to Redis is up. */
  get healthy(): boolean {
    return !this.degraded;
  }

  /** Says goodbye (other servers drop this one's presence at once) and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.heartbeat);
    clearInterval(this.resyncTimer);
    if (this.command.isReady) {
      await Promise.allSettled([this.command.publish(this.serversChannel, `bye ${this.serverId}`), this.command.del(this.wakeKey)]);
    }
    this.closed = true;
    for (const relayed of [...this.rooms.values()]) this.detach(relayed.room);
    this.reader.destroy();
    await this.reading;
    await Promise.allSettled([this.command.close(), this.subscriber.close()]);
    reportHealth("redis-relay", { ok: true, detail: "stopped" });
  }

  // --- Updates ------------------------------------------------------------------------------------

  private published(relayed: Relayed, update: Uint8Array, origin: unknown): void {
    if (origin instanceof RelayOrigin || origin === "load" || this.applyingStored) return;
    if (origin === "log") {
      this.append(relayed, { type: "stored", origin: this.serverId, seq: 0, update });
      return;
    }
    const userId = origin && typeof origin === "object" && "userId" in origin ? ((origin as { userId: string | null }).userId ?? null) : null;
    this.append(relayed, { type: "update", origin: this.serverId, seq: 0, userId, update });
  }

  /** Adds an entry (its sequence number filled in here) to the room's stream; a failure owes the room a resynchronisation. */
  private append(relayed: Relayed, entry: RelayEntry): Promise<string | undefined> {
    entry.seq = ++relayed.seq;
    if (!this.command.isReady) {
      this.owe(relayed);
      return Promise.resolve(undefined);
    }
    const now = Date.now();
    if (now >= relayed.expiresAt) {
      relayed.expiresAt = now + STREAM_TTL_MS / 4;
      this.command.pExpire(relayed.stream, STREAM_TTL_MS).catch(() => {});
    }
    return this.command
      .xAdd(relayed.stream, "*", entryFields(entry), { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: STREAM_MAX_LEN } })
      .catch(() => {
        this.owe(relayed);
        return undefined;
      });
  }

  private owe(relayed: Relayed): void {
    relayed.resyncOwed = true;
    relayed.pushOwed = true;
  }

  /**
   * Asks the other servers for what this one lacks (they answer on the stream); with `push`, also adds
   * this server's whole state, which carries whatever it could not add while Redis was away.
   */
  private resync(relayed: Relayed, push: boolean): void {
    relayed.resyncOwed = false;
    relayed.pushOwed = false;
    const { doc } = relayed.room;
    void this.append(relayed, { type: "sync", origin: this.serverId, seq: 0, stateVector: Y.encodeStateVector(doc) });
    if (push) void this.append(relayed, { type: "update", origin: this.serverId, seq: 0, userId: null, update: Y.encodeStateAsUpdate(doc) });
  }

  /** Resynchronises the rooms whose writes failed, once Redis takes writes again. */
  private payDebts(): void {
    if (this.degraded || !this.command.isReady) return;
    for (const relayed of this.rooms.values()) if (relayed.resyncOwed || relayed.pushOwed) this.resync(relayed, relayed.pushOwed);
  }

  /** Makes the reader start over with the current set of rooms (XREAD returns at once on a new wake-up entry). */
  private wake(): void {
    if (!this.command.isReady) return;
    this.command.xAdd(this.wakeKey, "*", { w: "1" }, { TRIM: { strategy: "MAXLEN", threshold: 8 } }).catch(() => {});
  }

  private async readLoop(): Promise<void> {
    const reader = this.reader.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    while (!this.closed) {
      if (!this.reader.isReady) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const streams = [{ key: this.wakeKey, id: this.wakeCursor }];
      for (const relayed of this.rooms.values()) streams.push({ key: relayed.stream, id: relayed.cursor });
      let reply: StreamReply[] | null;
      try {
        reply = (await reader.xRead(streams, { BLOCK: READ_BLOCK_MS, COUNT: READ_COUNT })) as unknown as StreamReply[] | null;
      } catch (error) {
        if (this.closed) return;
        this.connectionsChanged();
        logger().debug({ err: error }, "reading the relay streams failed");
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      for (const stream of reply ?? []) this.received(stream);
    }
  }

  private received(stream: StreamReply): void {
    const key = stream.name.toString();
    if (key === this.wakeKey) {
      const last = stream.messages.at(-1);
      if (last) this.wakeCursor = last.id.toString();
      return;
    }
    const relayed = this.rooms.get(key.slice(`${this.settings.keyPrefix}room:`.length));
    if (!relayed || relayed.stream !== key) return;
    for (const { id: rawId, message } of stream.messages) {
      const id = rawId.toString();
      if (compareStreamIds(id, relayed.cursor) <= 0) continue;
      relayed.cursor = id;
      if (relayed.room.closed) return;
      const entry = parseEntry(message);
      if (!entry) {
        logger().warn({ room: relayed.room.ref, id }, "skipped a relay entry that could not be read");
        continue;
      }
      if (entry.origin === this.serverId) continue;
      const last = relayed.seen.get(entry.origin);
      relayed.seen.set(entry.origin, entry.seq);
      // The first entry seen from a server sets the baseline; later ones must follow on without a gap.
      if (last !== undefined && entry.seq !== last + 1 && entry.seq > last) {
        logger().warn({ room: relayed.room.ref, from: entry.origin, missed: entry.seq - last - 1 }, "relay entries were lost; resynchronising the room");
        relayed.resyncOwed = true;
      }
      this.apply(relayed, entry);
    }
  }

  private apply(relayed: Relayed, entry: RelayEntry): void {
    const { room } = relayed;
    try {
      switch (entry.type) {
        case "update":
          Y.applyUpdate(room.doc, entry.update, RelayOrigin.of(entry.userId));
          return;
        case "stored":
          this.applyingStored = true;
          try {
            // Already in the log: the room relays it to its clients and does not write it again.
            Y.applyUpdate(room.doc, entry.update, "log");
          } finally {
            this.applyingStored = false;
          }
          return;
        case "sync":
          void this.append(relayed, { type: "update", origin: this.serverId, seq: 0, userId: null, update: Y.encodeStateAsUpdate(room.doc, entry.stateVector) });
          return;
        case "approvals":
          if (room.writesLog) room.recordApprovals(entry.approvals, entry.userId);
          return;
      }
    } catch (error) {
      logger().warn({ err: error, room: room.ref, from: entry.origin }, "could not apply a relay entry");
    }
  }

  // --- Presence -----------------------------------------------------------------------------------

  private subscribe(relayed: Relayed): void {
    if (!this.subscriber.isReady) return; // subscribed when the connection is ready (connectionsChanged)
    this.subscriber.subscribe(relayed.channel, relayed.onMessage, true).then(
      () => this.queryPresence(relayed),
      () => this.connectionsChanged(),
    );
  }

  private presenceChanged(relayed: Relayed, change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    // Other servers time out stale states themselves; their own presence is theirs to send.
    if (origin === PRESENCE_ORIGIN || origin === "timeout") return;
    const own = [...change.added, ...change.updated, ...change.removed].filter((id) => !relayed.remote.has(id));
    if (own.length) this.publishPresence(relayed, own);
  }

  private publishPresence(relayed: Relayed, clientIds: number[]): void {
    if (!this.command.isReady || !clientIds.length) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(relayed.room.awareness, clientIds);
    this.command.publish(relayed.channel, encodePresenceMessage({ kind: "states", origin: this.serverId, update })).catch(() => {});
  }

  /** This server's clients' presence in the room (ids not relayed from elsewhere). */
  private ownClientIds(relayed: Relayed): number[] {
    return [...relayed.room.awareness.getStates().keys()].filter((id) => !relayed.remote.has(id));
  }

  private queryPresence(relayed: Relayed): void {
    if (!this.command.isReady) return;
    this.command.publish(relayed.channel, encodePresenceMessage({ kind: "query", origin: this.serverId })).catch(() => {});
    this.publishPresence(relayed, this.ownClientIds(relayed));
  }

  private presenceReceived(relayed: Relayed, data: Buffer): void {
    let message: PresenceMessage;
    try {
      message = decodePresenceMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (error) {
      logger().warn({ err: error, room: relayed.room.ref }, "skipped a presence message that could not be read");
      return;
    }
    if (message.origin === this.serverId || relayed.room.closed) return;
    this.alive.set(message.origin, Date.now());
    if (message.kind === "query") {
      this.publishPresence(relayed, this.ownClientIds(relayed));
      return;
    }
    try {
      for (const entry of decodeAwarenessUpdate(message.update)) {
        if (entry.state === null) relayed.remote.delete(entry.clientId);
        else relayed.remote.set(entry.clientId, message.origin);
      }
      awarenessProtocol.applyAwarenessUpdate(relayed.room.awareness, message.update, PRESENCE_ORIGIN);
    } catch (error) {
      logger().warn({ err: error, room: relayed.room.ref }, "could not apply relayed presence");
    }
  }

  /** Drops the presence of every client of a server that has gone. */
  private forgetServer(serverId: string): void {
    this.alive.delete(serverId);
    for (const relayed of this.rooms.values()) {
      const gone = [...relayed.remote].filter(([, owner]) => owner === serverId).map(([id]) => id);
      for (const id of gone) relayed.remote.delete(id);
      if (gone.length) awarenessProtocol.removeAwarenessStates(relayed.room.awareness, gone, PRESENCE_ORIGIN);
    }
  }

  private beat(): void {
    if (this.command.isReady) {
      this.command.publish(this.serversChannel, `alive ${this.serverId}`).catch(() => {});
      this.command.pExpire(this.wakeKey, STREAM_TTL_MS).catch(() => {});
    }
    const now = Date.now();
    for (const [serverId, at] of this.alive) if (now - at > DEAD_AFTER_MS) this.forgetServer(serverId);
  }

  private serversMessage = (message: string): void => {
    const [kind, serverId] = message.split(" ");
    if (!serverId || serverId === this.serverId) return;
    if (kind === "alive") this.alive.set(serverId, Date.now());
    else if (kind === "bye") this.forgetServer(serverId);
  };

  // --- Connection state ----------------------------------------------------------------------------

  private connectionsChanged(): void {
    if (this.closed) return;
    const up = this.command.isReady && this.reader.isReady && this.subscriber.isReady;
    if (up === !this.degraded) return;
    this.degraded = !up;
    this.report();
    if (!up) {
      logger().warn("the Redis relay is degraded: each server serves its own clients until Redis is back");
      return;
    }
    const reconnected = this.everConnected;
    this.everConnected = true;
    logger().info({ reconnected }, "the Redis relay is connected");
    void this.subscriber.subscribe(this.serversChannel, this.serversMessage).catch(() => this.connectionsChanged());
    for (const relayed of this.rooms.values()) {
      this.subscribe(relayed);
      // After an outage: tell the others what this server changed meanwhile, and ask for what it missed.
      if (reconnected || relayed.resyncOwed || relayed.pushOwed) this.resync(relayed, reconnected || relayed.pushOwed);
    }
    this.wake();
  }

  private report(): void {
    reportHealth(
      "redis-relay",
      this.degraded
        ? { ok: false, detail: "Redis is unreachable: this server serves its own clients only until it is back", metrics: { rooms: this.rooms.size } }
        : { ok: true, metrics: { rooms: this.rooms.size } },
    );
  }
}
