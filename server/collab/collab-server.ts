import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Database } from "@/db/client";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { redisSettings, type RedisSettings } from "@/lib/redis";
import { createRevision } from "@/lib/revisions";
import { onAppended, onPublished, registerRoomFlusher } from "@/lib/room-bus";
import { CLOSE_CODES } from "@/model/close-codes";
import { LIMITS } from "@/model/limits";
import { watchAccess } from "./access-watch";
import { createApprovalLog } from "./approval-log";
import type { Cluster } from "./cluster";
import { Connection } from "./connection";
import type { Identity } from "./identity";
import { createPostgresRoomStore, type RoomStore } from "./persistence";
import { createProjector } from "./projection";
import { createRevisionScheduler } from "./revision-scheduler";
import type { Room } from "./room";
import { RoomRegistry } from "./room-registry";
import { authorizeUpgrade } from "./upgrade-auth";
import { encodePublicationChanged } from "./protocol";

export interface CollabServerOptions {
  db: Database;
  store?: RoomStore;
  idleUnloadMs?: number;
  accessCheckMs?: number;
  /** How often each connection is pinged (default 30 s); one that has not answered the previous ping is dropped. */
  pingIntervalMs?: number;
  /** How long an article must be idle after a change before an automatic revision (default 2 minutes). */
  revisionIdleMs?: number;
  /** Most bytes of unstored updates held while the database is away (default LIMITS.unsavedLogBytes). */
  unsavedLogBytes?: number;
  /**
   * Scale-out: share rooms with other collaboration servers through this Redis (default: REDIS_URL
   * from the environment; null: this process alone, whatever the environment says).
   */
  redis?: RedisSettings | null;
}

export interface CollabServer {
  /** Handles an HTTP upgrade on the collaboration path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  registry: RoomRegistry;
  /** Closes every connection (clients reconnect elsewhere), flushes every room and stops. */
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" };

function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

// Module-level on purpose: a closure here would keep each connection's upgrade request and head
// buffer alive for as long as its socket lives.
function destroySocket(this: Duplex): void {
  this.destroy();
}

type UpgradeAuth = Awaited<ReturnType<typeof authorizeUpgrade>>;

/** A socket's frames until its room has loaded, then its connection; and its heartbeat. */
interface SocketState {
  connection: Connection | undefined;
  queued: Uint8Array[] | undefined;
  /** Whether a pong came since the last ping. */
  alive: boolean;
  /** Which of the heartbeat's ticks pings this socket (see PING_SLICES). */
  slice: number;
}

function logSocketError(error: Error): void {
  logger().debug({ err: error }, "websocket error");
}

// The long-lived listeners are made in module-level functions on purpose: a closure made inside a
// function that also captured the upgrade check's result would keep that result (the desk's
// settings, the request) alive for as long as the socket lives.

/** Starts reading a socket's frames; they wait in a queue until the room has loaded. */
function listen(ws: WebSocket, slice: number): SocketState {
  const state: SocketState = { connection: undefined, queued: [], alive: true, slice };
  ws.on("pong", () => (state.alive = true));
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return ws.close(CLOSE_CODES.malformed, "binary frames only");
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (state.connection) state.connection.receive(bytes);
    else state.queued?.push(bytes);
  });
  // Here rather than in join: the listeners of one socket then share one closure context.
  ws.on("close", () => state.connection?.detach());
  ws.on("error", logSocketError);
  return state;
}

/** Puts a socket into its loaded room, so the first sync is answered from the loaded state. */
function join(ws: WebSocket, state: SocketState, room: Room, identity: Identity, release: (room: Room) => void): void {
  if (ws.readyState !== ws.OPEN) return release(room);
  if (room.peers.size >= LIMITS.connectionsPerRoom) {
    ws.close(CLOSE_CODES.roomFull, "room is full");
    return release(room);
  }
  const connection = new Connection(ws, room, identity, release);
  state.connection = connection;
  const queued = state.queued ?? [];
  state.queued = undefined;
  connection.start();
  for (const bytes of queued) connection.receive(bytes);
}

/** The cluster's store, used once the cluster module has loaded. */
function storeOnceReady(ready: Promise<Cluster>): RoomStore {
  return {
    load: async (ref) => (await ready).store.load(ref),
    append: async (columns) => (await ready).store.append(columns),
    touch: async (articleIds) => (await ready).store.touch(articleIds),
    checkpoint: async (ref, state, uptoUpdateId) => (await ready).store.checkpoint(ref, state, uptoUpdateId),
    readAfter: async (ref, afterId) => (await ready).store.readAfter(ref, afterId),
  };
}

/** Heartbeat: a connection that misses a pong is dead (a laptop that went to sleep) and is dropped. */
const PING_INTERVAL_MS = 30_000;
/**
 * Each socket is pinged on one of this many ticks of the interval, so that the pings of thousands of
 * sockets do not all go out in one turn of the event loop (a stall every edit arriving meanwhile waits for).
 */
const PING_SLICES = 30;

/**
 * The collaboration server: the y-websocket protocol over `ws`, with tickets checked before the
 * upgrade, rooms loaded from PostgreSQL before the first sync answer, and writes checked per role.
 */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const { db } = options;
  const projector = createProjector(db);
  const approvals = createApprovalLog(db);
  const revisions = createRevisionScheduler({
    idleMs: options.revisionIdleMs,
    take: ({ articleId, teamId, reason }) =>
      createRevision(db, { articleId, teamId, kind: "auto", reason, skipIfUnchanged: true }).catch((error: unknown) => {
        // The article was deleted while people were on it: nothing left to keep.
        if (!(isAppError(error) && error.code === "not_found")) throw error;
      }),
  });
  const store = options.store ?? createPostgresRoomStore(db);
  const redis = options.redis === undefined ? redisSettings() : options.redis;
  // Scale-out code and the Redis client are loaded only when Redis is configured. Every room load goes
  // through the cluster's store, so a room is never attached before the cluster exists.
  let cluster: Cluster | undefined;
  const clusterReady = redis
    ? import("./cluster").then(({ createCluster }) => (cluster = createCluster({ db, store, redis, databaseUrl: env().DATABASE_URL ?? "" })))
    : undefined;
  clusterReady?.catch((error: unknown) => logger().error({ err: error }, "could not start scale-out; rooms cannot be loaded"));
  const registry = new RoomRegistry(clusterReady ? storeOnceReady(clusterReady) : store, {
    idleUnloadMs: options.idleUnloadMs,
    unsavedLogBytes: options.unsavedLogBytes,
    onPersisted: (room, final) => {
      if (room.ref.room === "review") projector.schedule(room, final);
      // Revisions hold the body and the review; a change to the summary alone is not one.
      if (!final && room.ref.room !== "summary") revisions.changed({ articleId: room.ref.articleId, teamId: room.teamId });
    },
    onApprovals: (room, given) => approvals.record(room, given),
    onArticleEmpty: (room) => revisions.lastLeft(room.ref.articleId),
    onLoaded: clusterReady && ((room) => cluster!.attach(room)),
    onClosed: clusterReady && ((room) => cluster!.detach(room)),
  });
  const stopFlushing = registerRoomFlusher(async (ref) => registry.find(ref)?.flush());
  // A restore appends to the log over HTTP; the rooms loaded here read it and pass it on.
  // Everyone with the article open holds its body room: tell them there to read the publication again.
  const stopPublished = onPublished((articleId) => {
    const room = registry.find({ articleId, room: "body" });
    if (!room) return;
    const notice = encodePublicationChanged();
    for (const peer of room.peers) peer.send(notice);
  });
  const stopListening = onAppended(db, (ref) => {
    registry
      .find(ref)
      ?.catchUpWithLog()
      .catch((error: unknown) => logger().error({ err: error, room: ref }, "could not read appended log rows"));
  });
  // Frames over the limit are closed by us with a reason; ws's own cap is only a backstop.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMessageBytes * 2, perMessageDeflate: false });
  const stopWatching = watchAccess(db, registry, options.accessCheckMs);
  const sockets = new WeakMap<WebSocket, SocketState>();
  let closing = false;
  let attached = 0;
  let tick = 0;

  const heartbeat = setInterval(() => {
    tick = (tick + 1) % PING_SLICES;
    for (const ws of wss.clients) {
      const state = sockets.get(ws);
      if (state?.slice !== tick) continue;
      if (!state.alive) {
        ws.terminate();
        continue;
      }
      state.alive = false;
      ws.ping();
    }
  }, (options.pingIntervalMs ?? PING_INTERVAL_MS) / PING_SLICES);
  heartbeat.unref();

  const release = (room: Room) => registry.released(room);

  function attach(ws: WebSocket, auth: UpgradeAuth): void {
    const socket = listen(ws, attached++ % PING_SLICES);
    sockets.set(ws, socket);
    registry.get(auth.ref, auth.desk).then(
      (room) => join(ws, socket, room, auth.identity, release),
      (error: unknown) => {
        // Almost always the database being away: the client keeps its edits and tries again.
        logger().error({ err: error, room: auth.ref }, "could not load a room");
        ws.close(CLOSE_CODES.storageUnavailable, "the document cannot be loaded right now");
      },
    );
  }

  return {
    registry,
    handleUpgrade(req, socket, head) {
      if (closing) return refuseUpgrade(socket, 503, "unavailable", "The server is restarting.");
      socket.on("error", destroySocket);
      authorizeUpgrade(db, req).then(
        (auth) =>
          wss.handleUpgrade(req, socket, head, (ws) => {
            socket.off("error", destroySocket);
            attach(ws, auth);
          }),
        (error: unknown) => {
          if (isAppError(error)) return refuseUpgrade(socket, error.status, error.code, error.message);
          // Almost always the database being away; the client retries with backoff.
          logger().error({ err: error }, "upgrade check failed");
          refuseUpgrade(socket, 503, "unavailable", "Access cannot be checked right now; try again shortly.");
        },
      );
    },
    async close() {
      closing = true;
      stopWatching();
      stopFlushing();
      stopPublished();
      await (await stopListening)();
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CLOSE_CODES.serverRestart, "server restarting");
      await registry.closeAll();
      await Promise.all([projector.flush(), revisions.close(), approvals.flush()]);
      await clusterReady?.then((ready) => ready.close());
      wss.close();
    },
  };
}
