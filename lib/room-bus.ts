import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isEmbeddedDatabase, type Database } from "@/db/client";
import type { RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import { redisSettings, type RedisSettings } from "@/lib/redis";
import type { RedisClient } from "@/lib/redis-client";
import { parseRoomName, roomName } from "@/model/rooms";

/**
 * How the app tells collaboration servers about server-side changes to a room. A restore appends
 * rows to a room's log from an HTTP request; every server that holds that room must read them and
 * send them to its clients. Inside one process that is an event; across processes it is a
 * PostgreSQL NOTIFY, so a separate `npm run start:collab` process hears it too (the embedded database
 * is one process only), and, when REDIS_URL is set, a Redis message as well: either reaches every
 * server even while the other is away. Access changes (a role changed, a guest revoked) travel the
 * same way, so servers can close connections at once rather than at their next poll.
 */
export const ROOM_LOG_CHANNEL = "factdesk_room_log";

/** How long a flush request waits for the server that writes the room's log (the lease holder). */
const FLUSH_WAIT_MS = 2_000;
/** How long an announcement waits for a Redis connection that is still being made. */
const CONNECT_WAIT_MS = 1_000;

interface RedisClients {
  publisher: RedisClient;
  subscriber: RedisClient;
}

interface RedisBus {
  settings: RedisSettings;
  /** The connections, made once the Redis client is loaded (it is loaded only when REDIS_URL is set). */
  clients: Promise<RedisClients>;
  /** Settles once both connections have been tried. */
  connecting: Promise<unknown>;
  /** Whether this process listens to the bus channel yet (the first onAppended/onAccessChanged subscribes). */
  listening: Promise<void> | undefined;
  /** Flush requests of this process waiting for their answers, by request id: called with each answer. */
  waiting: Map<string, (fromWriter: boolean) => void>;
  answering: Promise<void> | undefined;
}

interface Bus {
  events: EventEmitter;
  /** Tells notifications sent by this process apart from those of other processes. */
  processId: string;
  flushers: Set<(ref: RoomRef) => Promise<void>>;
  redis: RedisBus | null | undefined;
}

const globalForBus = globalThis as unknown as { __factdeskRoomBus?: Bus };

function bus(): Bus {
  globalForBus.__factdeskRoomBus ??= { events: new EventEmitter().setMaxListeners(0), processId: randomUUID(), flushers: new Set(), redis: undefined };
  return globalForBus.__factdeskRoomBus;
}

const busMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("appended"), from: z.string(), room: z.string() }),
  z.object({ type: z.literal("access"), from: z.string(), teamId: z.uuid() }),
  z.object({ type: z.literal("published"), from: z.string(), articleId: z.uuid() }),
]);
type BusMessage = z.infer<typeof busMessageSchema>;

const flushRequestSchema = z.object({ id: z.string().max(64), replyTo: z.string().max(200) });

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** This process's Redis side of the bus, made on first use; null when REDIS_URL is not set. */
function redisBus(): RedisBus | null {
  const state = bus();
  if (state.redis !== undefined) return state.redis;
  const settings = redisSettings();
  if (!settings) return (state.redis = null);
  const clients = import("@/lib/redis-client").then(({ createRedisClient }) => ({
    publisher: createRedisClient(settings, "bus"),
    subscriber: createRedisClient(settings, "bus-listener"),
  }));
  clients.catch((error: unknown) => logger().error({ err: error }, "could not load the Redis client; announcements stay in this process"));
  const connecting = clients.then(
    ({ publisher, subscriber }) => Promise.allSettled([publisher.connect(), subscriber.connect()]),
    () => undefined,
  );
  state.redis = { settings, clients, connecting, listening: undefined, waiting: new Map(), answering: undefined };
  return state.redis;
}

/** The bus's connections once the publisher is ready, or undefined if it is not within CONNECT_WAIT_MS. */
async function connected(redis: RedisBus): Promise<RedisClients | undefined> {
  const wait = new Promise<undefined>((resolve) => setTimeout(resolve, CONNECT_WAIT_MS));
  const clients = await Promise.race([redis.clients, wait]);
  if (!clients) return undefined;
  if (!clients.publisher.isReady) await Promise.race([redis.connecting, wait]);
  return clients.publisher.isReady ? clients : undefined;
}

function busChannel(redis: RedisBus): string {
  return `${redis.settings.keyPrefix}bus`;
}

async function publish(message: BusMessage): Promise<void> {
  const redis = redisBus();
  const clients = redis && (await connected(redis));
  if (!redis || !clients) return;
  await clients.publisher.publish(busChannel(redis), JSON.stringify(message)).catch((error: unknown) => logger().warn({ err: error }, "could not announce a room change over Redis"));
}

/** Subscribes this process to the bus channel once, handing other processes' messages to the local events. */
function listenToRedis(): void {
  const redis = redisBus();
  if (!redis || redis.listening) return;
  const { events, processId } = bus();
  redis.listening = redis.connecting
    .then(() => redis.clients)
    .then(({ subscriber }) =>
      subscriber.subscribe(busChannel(redis), (raw) => {
        const parsed = busMessageSchema.safeParse(parseJson(raw));
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.from === processId) return;
        if (message.type === "access") return void events.emit("access", message.teamId);
        if (message.type === "published") return void events.emit("published", message.articleId);
        const room = parseRoomName(message.room);
        if (room) events.emit("appended", { articleId: room.articleId, room: room.kind });
      }),
    )
    .catch((error: unknown) => logger().warn({ err: error }, "could not listen for room changes over Redis; PostgreSQL NOTIFY and polling still work"));
}

/** Tells every collaboration server holding `ref` that its log has rows it did not write. */
export async function announceAppended(db: Database, ref: RoomRef): Promise<void> {
  const name = roomName(ref.articleId, ref.room);
  bus().events.emit("appended", ref);
  if (isEmbeddedDatabase(db)) return;
  await db.$client.notify(ROOM_LOG_CHANNEL, `${bus().processId} ${name}`);
  await publish({ type: "appended", from: bus().processId, room: name });
}

/**
 * Calls `handler` whenever rows are appended to a room's log by someone other than the room's own
 * server: in this process, and (on PostgreSQL, and over Redis when set) in any other. A room may hear
 * of the same rows twice; reading the log after its cursor makes the second time cost nothing.
 * Returns a function that stops listening.
 */
export async function onAppended(db: Database, handler: (ref: RoomRef) => void): Promise<() => Promise<void>> {
  const { events, processId } = bus();
  events.on("appended", handler);
  let unlisten: (() => Promise<void>) | undefined;
  if (!isEmbeddedDatabase(db)) {
    try {
      const listener = await db.$client.listen(ROOM_LOG_CHANNEL, (payload) => {
        const [sender, name, what] = payload.split(" ");
        if (sender === processId || !name) return;
        if (what === "published") return void events.emit("published", name);
        const parsed = parseRoomName(name);
        if (parsed) handler({ articleId: parsed.articleId, room: parsed.kind });
      });
      unlisten = listener.unlisten;
    } catch (error) {
      logger().warn({ err: error }, "could not LISTEN for room log changes; restores reach this process's rooms only");
    }
    listenToRedis();
  }
  return async () => {
    events.off("appended", handler);
    await unlisten?.();
  };
}

/**
 * Tells every collaboration server that an article's publication changed, so that the people who have
 * it open see it at once. Carried like announceAppended: in process, PostgreSQL NOTIFY, Redis.
 */
export async function announcePublished(db: Database, params: { articleId: string }): Promise<void> {
  bus().events.emit("published", params.articleId);
  if (isEmbeddedDatabase(db)) return;
  await db.$client.notify(ROOM_LOG_CHANNEL, `${bus().processId} ${params.articleId} published`);
  await publish({ type: "published", from: bus().processId, articleId: params.articleId });
}

/**
 * Calls `handler` with the article whenever announcePublished runs in this process or another; the
 * NOTIFY and Redis subscriptions are those onAppended makes, which every collaboration server holds.
 */
export function onPublished(handler: (articleId: string) => void): () => void {
  bus().events.on("published", handler);
  return () => bus().events.off("published", handler);
}

/**
 * Tells every collaboration server that a desk's memberships changed (a role, a removal, a guest
 * revoked), so that they check their connections now. Without Redis, servers find out at their
 * next poll of the memberships.
 */
export async function announceAccessChanged(params: { teamId: string }): Promise<void> {
  bus().events.emit("access", params.teamId);
  await publish({ type: "access", from: bus().processId, teamId: params.teamId });
}

/** Calls `handler` with the desk whenever announceAccessChanged runs in this or (over Redis) another process. */
export function onAccessChanged(handler: (teamId: string) => void): () => void {
  bus().events.on("access", handler);
  listenToRedis();
  return () => bus().events.off("access", handler);
}

/** Registers this process's collaboration server as able to flush a loaded room on request. */
export function registerRoomFlusher(flush: (ref: RoomRef) => Promise<void>): () => void {
  bus().flushers.add(flush);
  return () => bus().flushers.delete(flush);
}

function flushChannel(redis: RedisBus, ref: RoomRef): string {
  return `${redis.settings.keyPrefix}flush:${roomName(ref.articleId, ref.room)}`;
}

function replyChannel(redis: RedisBus): string {
  return `${redis.settings.keyPrefix}flushed:${bus().processId}`;
}

/**
 * Scale-out: answers other processes' flush requests for a room this server holds. `flush` writes
 * what the server holds of the room and says whether it writes the room's log at all (holds its
 * lease); the asker waits for that server's answer. Returns a function that stops answering.
 */
export function serveFlushRequests(ref: RoomRef, flush: () => Promise<boolean>): () => void {
  const redis = redisBus();
  if (!redis) return () => {};
  const channel = flushChannel(redis, ref);
  const listener = (raw: string) => {
    const request = flushRequestSchema.safeParse(parseJson(raw));
    if (!request.success) return;
    void flush()
      .catch((error: unknown) => {
        logger().warn({ err: error, room: ref }, "a requested flush failed");
        return false;
      })
      .then(async (writer) => (await redis.clients).publisher.publish(request.data.replyTo, `${request.data.id} ${writer ? 1 : 0}`))
      .catch(() => {});
  };
  void redis.connecting
    .then(() => redis.clients)
    .then(({ subscriber }) => subscriber.subscribe(channel, listener))
    .catch(() => {});
  return () => {
    void redis.clients.then(({ subscriber }) => (subscriber.isReady ? subscriber.unsubscribe(channel, listener) : undefined)).catch(() => {});
  };
}

/**
 * Asks the servers holding a room to write what they hold now, and waits (at most FLUSH_WAIT_MS) for
 * the one that writes its log, or for all of them to say none of them does.
 */
async function flushElsewhere(redis: RedisBus, ref: RoomRef): Promise<void> {
  const clients = await connected(redis);
  if (!clients) return;
  redis.answering ??= clients.subscriber
    .subscribe(replyChannel(redis), (answer) => {
      const [id, writer] = answer.split(" ");
      if (id) redis.waiting.get(id)?.(writer === "1");
    })
    .catch(() => {
      redis.answering = undefined;
    });
  await redis.answering;
  const id = randomUUID();
  let timer: NodeJS.Timeout | undefined;
  let listeners = Number.POSITIVE_INFINITY;
  let answers = 0;
  const answered = new Promise<void>((resolve) => {
    redis.waiting.set(id, (fromWriter) => {
      answers++;
      if (fromWriter || answers >= listeners) resolve();
    });
    timer = setTimeout(resolve, FLUSH_WAIT_MS);
  });
  try {
    // PUBLISH answers how many servers listened (those holding the room); none means nobody holds it.
    listeners = await clients.publisher.publish(flushChannel(redis, ref), JSON.stringify({ id, replyTo: replyChannel(redis) }));
    if (listeners > answers) await answered;
  } catch (error) {
    logger().warn({ err: error, room: ref }, "could not ask the room's writer to flush");
  } finally {
    clearTimeout(timer);
    redis.waiting.delete(id);
  }
}

/** Closes this process's Redis connections of the bus, if it made any (on shutdown). */
export async function closeRoomBus(): Promise<void> {
  const state = bus();
  const redis = state.redis;
  state.redis = undefined;
  if (!redis) return;
  for (const resolve of redis.waiting.values()) resolve(true);
  redis.waiting.clear();
  const clients = await redis.clients.catch(() => undefined);
  if (clients) await Promise.allSettled([clients.publisher.close(), clients.subscriber.close()]);
}

/**
 * Writes a room's pending updates now if this process holds it, so that what is read from the log
 * next includes everything its clients have sent. With Redis (several servers), the server that
 * writes the room's log is asked too, and answers once it has written; without Redis, rooms held by
 * other processes flush within their window (250 ms), and edits still in that window are concurrent
 * with whatever the caller does next.
 */
export async function flushRoomIfLoaded(ref: RoomRef): Promise<void> {
  await Promise.all([...bus().flushers].map((flush) => flush(ref)));
  const redis = redisBus();
  if (redis) await flushElsewhere(redis, ref);
}
