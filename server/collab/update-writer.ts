import { logger } from "@/lib/logger";
import { roomName } from "@/model/rooms";
import type { RoomStore } from "./persistence";
import type { Room } from "./room";

/** How often pending updates are written to the log: one row per user per room per window. */
export const FLUSH_WINDOW_MS = 250;
/** An article's "last activity" is refreshed at most this often while people type. */
const TOUCH_INTERVAL_MS = 10_000;
const MAX_RETRY_MS = 10_000;

/**
 * The one writer of a process's update log. Rooms mark themselves dirty; once per window every dirty
 * room's rows go to the database in a single statement, so two hundred busy articles cost one
 * INSERT, not two hundred. Writes are serialised, which keeps each room's rows in order. A failed
 * write puts the rows back ahead of anything newer and retries with backoff: nothing is dropped.
 */
export class UpdateWriter {
  private readonly dirty = new Set<Room>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private retryMs = 0;

  constructor(
    private readonly store: RoomStore,
    private readonly windowMs = FLUSH_WINDOW_MS,
  ) {}

  /** Schedules a room's pending updates for the next window. */
  markDirty(room: Room): void {
    this.dirty.add(room);
    this.timer ??= setTimeout(() => void this.flush(), this.retryMs || this.windowMs);
  }

  /** Writes everything pending now (when a room empties, closes, or the process stops). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(() => this.writeAll());
    return this.chain;
  }

  private async writeAll(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    const batches = rooms.map((room) => ({ room, rows: room.takePending() })).filter((b) => b.rows.length > 0);
    if (!batches.length) return;
    let lastIds: Map<string, bigint>;
    try {
      lastIds = await this.store.append(batches.flatMap(({ room, rows }) => rows.map((row) => ({ ...room.ref, ...row }))));
    } catch (error) {
      for (const { room, rows } of batches) room.restorePending(rows);
      for (const { room } of batches) this.dirty.add(room);
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 500), MAX_RETRY_MS);
      logger().error({ err: error, rooms: batches.length, retryInMs: this.retryMs }, "could not write the update log; retrying");
      this.timer ??= setTimeout(() => void this.flush(), this.retryMs);
      return;
    }
    this.retryMs = 0;
    for (const { room, rows } of batches) room.persisted(lastIds.get(roomName(room.ref.articleId, room.ref.room)) ?? 0n, rows.length);
    await this.touch(batches.map((b) => b.room));
  }

  private async touch(rooms: Room[]): Promise<void> {
    const now = Date.now();
    const due = rooms.filter((room) => now - room.touchedAt >= TOUCH_INTERVAL_MS);
    if (!due.length) return;
    for (const room of due) room.touchedAt = now;
    const articleIds = [...new Set(due.map((room) => room.ref.articleId))];
    await this.store.touch(articleIds).catch((error: unknown) => logger().warn({ err: error }, "could not record article activity"));
  }
}
