import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Database } from "@/db/client";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { CLOSE_CODES } from "@/model/close-codes";
import { LIMITS } from "@/model/limits";
import { watchAccess } from "./access-watch";
import { Connection } from "./connection";
import { createPostgresRoomStore, type RoomStore } from "./persistence";
import { createProjector } from "./projection";
import { RoomRegistry } from "./room-registry";
import { authorizeUpgrade } from "./upgrade-auth";

export interface CollabServerOptions {
  db: Database;
  store?: RoomStore;
  idleUnloadMs?: number;
  accessCheckMs?: number;
}

export interface CollabServer {
  /** Handles an HTTP upgrade on the collaboration path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  registry: RoomRegistry;
  /** Closes every connection (clients reconnect elsewhere), flushes every room and stops. */
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error" };

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

/** Heartbeat: a connection that misses a pong is dead (a laptop that went to sleep) and is dropped. */
const PING_INTERVAL_MS = 30_000;

/**
 * The collaboration server: the y-websocket protocol over `ws`, with tickets checked before the
 * upgrade, rooms loaded from PostgreSQL before the first sync answer, and writes checked per role.
 */
export function createCollabServer(options: CollabServerOptions): CollabServer {
  const { db } = options;
  const projector = createProjector(db);
  const registry = new RoomRegistry(options.store ?? createPostgresRoomStore(db), {
    idleUnloadMs: options.idleUnloadMs,
    onPersisted: (room, final) => {
      if (room.ref.room === "review") projector.schedule(room, final);
    },
  });
  // Frames over the limit are closed by us with a reason; ws's own cap is only a backstop.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.wsMessageBytes * 2, perMessageDeflate: false });
  const stopWatching = watchAccess(db, registry, options.accessCheckMs);
  const alive = new WeakMap<WebSocket, boolean>();
  let closing = false;

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  heartbeat.unref();

  function attach(ws: WebSocket, ref: Awaited<ReturnType<typeof authorizeUpgrade>>): void {
    alive.set(ws, true);
    ws.on("pong", () => alive.set(ws, true));
    // Frames that arrive while the room loads wait, so the first sync is answered from the loaded state.
    const queued: Uint8Array[] = [];
    let connection: Connection | undefined;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const bytes = isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(0);
      if (!isBinary) return ws.close(CLOSE_CODES.malformed, "binary frames only");
      if (connection) connection.receive(bytes);
      else queued.push(bytes);
    });
    ws.on("error", (error) => logger().debug({ err: error }, "websocket error"));
    registry.get(ref.ref, ref.desk).then(
      (room) => {
        if (ws.readyState !== ws.OPEN) return registry.released(room);
        if (room.peers.size >= LIMITS.connectionsPerRoom) {
          ws.close(CLOSE_CODES.roomFull, "room is full");
          return registry.released(room);
        }
        connection = new Connection(ws, room, ref.identity, () => registry.released(room));
        ws.on("close", () => connection?.detach());
        connection.start();
        for (const bytes of queued.splice(0)) connection.receive(bytes);
      },
      (error: unknown) => {
        logger().error({ err: error, room: ref.ref }, "could not load a room");
        ws.close(CLOSE_CODES.serverRestart, "room could not be loaded");
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
          logger().error({ err: error }, "upgrade check failed");
          refuseUpgrade(socket, 500, "internal", "The upgrade could not be checked.");
        },
      );
    },
    async close() {
      closing = true;
      stopWatching();
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CLOSE_CODES.serverRestart, "server restarting");
      await registry.closeAll();
      await projector.flush();
      wss.close();
    },
  };
}
