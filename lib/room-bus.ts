import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { isEmbeddedDatabase, type Database } from "@/db/client";
import type { RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import { parseRoomName, roomName } from "@/model/rooms";

/**
 * How the app tells collaboration servers about a room's log. A restore appends rows to a room's log
 * from an HTTP request; every server that holds that room must read them and send them to its
 * clients. Inside one process that is an event; across processes it is a PostgreSQL NOTIFY, so a
 * separate `npm run start:collab` process hears it too (the embedded database is one process only).
 */
export const ROOM_LOG_CHANNEL = "factdesk_room_log";

interface Bus {
  events: EventEmitter;
  /** Tells notifications sent by this process apart from those of other processes. */
  processId: string;
  flushers: Set<(ref: RoomRef) => Promise<void>>;
}

const globalForBus = globalThis as unknown as { __factdeskRoomBus?: Bus };

function bus(): Bus {
  globalForBus.__factdeskRoomBus ??= { events: new EventEmitter().setMaxListeners(0), processId: randomUUID(), flushers: new Set() };
  return globalForBus.__factdeskRoomBus;
}

/** Tells every collaboration server holding `ref` that its log has rows it did not write. */
export async function announceAppended(db: Database, ref: RoomRef): Promise<void> {
  const name = roomName(ref.articleId, ref.room);
  bus().events.emit("appended", ref);
  if (isEmbeddedDatabase(db)) return;
  await db.$client.notify(ROOM_LOG_CHANNEL, `${bus().processId} ${name}`);
}

/**
 * Calls `handler` whenever rows are appended to a room's log by someone other than the room's own
 * server: in this process, and (on PostgreSQL) in any other. Returns a function that stops listening.
 */
export async function onAppended(db: Database, handler: (ref: RoomRef) => void): Promise<() => Promise<void>> {
  const { events, processId } = bus();
  events.on("appended", handler);
  let unlisten: (() => Promise<void>) | undefined;
  if (!isEmbeddedDatabase(db)) {
    try {
      const listener = await db.$client.listen(ROOM_LOG_CHANNEL, (payload) => {
        const [sender, name] = payload.split(" ");
        if (sender === processId || !name) return;
        const parsed = parseRoomName(name);
        if (parsed) handler({ articleId: parsed.articleId, room: parsed.kind });
      });
      unlisten = listener.unlisten;
    } catch (error) {
      logger().warn({ err: error }, "could not LISTEN for room log changes; restores reach this process's rooms only");
    }
  }
  return async () => {
    events.off("appended", handler);
    await unlisten?.();
  };
}

/** Registers this process's collaboration server as able to flush a loaded room on request. */
export function registerRoomFlusher(flush: (ref: RoomRef) => Promise<void>): () => void {
  bus().flushers.add(flush);
  return () => bus().flushers.delete(flush);
}

/**
 * Writes a room's pending updates now if this process holds it, so that what is read from the log
 * next includes everything its clients have sent. Rooms held by other processes flush within their
 * window (250 ms); edits still in that window are concurrent with whatever the caller does next.
 */
export async function flushRoomIfLoaded(ref: RoomRef): Promise<void> {
  await Promise.all([...bus().flushers].map((flush) => flush(ref)));
}
