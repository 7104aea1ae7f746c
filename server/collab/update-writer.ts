import { emptyLogColumns } from "@/db/queries/documents";
import { reportHealth } from "@/lib/health";
import { logger } from "@/lib/logger";
import { LIMITS } from "@/model/limits";
import { roomName } from "@/model/rooms";
import type { RoomStore } from "./persistence";
import type { PendingRow, Room } from "./room";

/** How often pending updates are written to the log: one row per user per room per window. */
export const FLUSH_WINDOW_MS = 250;
/** An article's "last activity" is refreshed at most this often while people type. */
const TOUCH_INTERVAL_MS = 10_000;
const MAX_RETRY_MS = 10_000;
/** The name this writer reports its health under (lib/health.ts, shown by /api/health). */
export const LOG_HEALTH_COMPONENT = "collab-log";

export interface UpdateWriterOptions {
  /** How often pending updates are written (default FLUSH_WINDOW_MS). */
  windowMs?: number;
  /** Most bytes of accepted, unstored updates before new edits are refused (default LIMITS.unsavedLogBytes). */
  unsavedLogBytes?: number;
}

/**
 * The one writer of a process's update log. Rooms mark themselves dirty; once per window every dirty
 * room's rows go to the database in a single statement, so two hundred busy articles cost one
 * INSERT, not two hundred. Writes are serialised, which keeps each room's rows in order. A failed
 * write puts the rows back ahead of anything newer and retries with backoff: nothing is dropped.
 *
 * While PostgreSQL is away the rows wait here, in memory, and the process reports itself unhealthy.
 * What waits is counted so that it stays bounded: once the unsaved bytes reach the bound, `full` is
 * true and connections refuse new edits before applying them, so whatever was accepted is exactly
 * what will be stored. The bound counts updates as they arrived, not as merged (usually smaller)
 * rows: it is conservative, and it does not flip between refusing and accepting as rows merge, only
 * once the database has taken the backlog.
 */
export class UpdateWriter {
  private readonly dirty = new Set<Room>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private retryMs = 0;
  private readonly windowMs: number;
  private readonly limitBytes: number;
  /** Accepted updates not yet stored, in every room, including those of a write under way. */
  private unsavedUpdates = 0;
  private unsavedBytes = 0;
  /** Whether the last write failed (the process reports itself unhealthy until one succeeds). */
  private failing = false;

  constructor(
    private readonly store: RoomStore,
    options: UpdateWriterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? FLUSH_WINDOW_MS;
    this.limitBytes = options.unsavedLogBytes ?? LIMITS.unsavedLogBytes;
    reportHealth(LOG_HEALTH_COMPONENT, { ok: true });
  }

  /** Whether the unsaved log has reached its bound: edits must be refused until it drains. */
  get full(): boolean {
    return this.unsavedBytes >= this.limitBytes;
  }

  /** Accepted updates not yet stored, with their size in bytes (as held in memory). */
  get unsaved(): { updates: number; bytes: number } {
    return { updates: this.unsavedUpdates, bytes: this.unsavedBytes };
  }

  /** Counts a room's newly accepted update and schedules the room for the next window. */
  markDirty(room: Room, bytes: number): void {
    const wasFull = this.full;
    this.unsavedUpdates++;
    this.unsavedBytes += bytes;
    // Health says so as soon as edits start being refused, not only at the next attempt.
    if (this.failing && !wasFull && this.full) this.reportFailing();
    this.dirty.add(room);
    this.timer ??= setTimeout(() => void this.flush(), this.retryMs || this.windowMs);
  }

  /** Forgets updates a room will not write after all (scale-out: another server holds its lease). */
  discard(counts: { updates: number; bytes: number }): void {
    this.unsavedUpdates -= counts.updates;
    this.unsavedBytes -= counts.bytes;
  }

  /** Writes everything pending now (when a room empties, closes, or the process stops). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(() => this.writeAll());
    return this.chain;
  }

  /**
   * Flushes, and keeps retrying while writes fail, until nothing is unsaved or `timeoutMs` has
   * passed (on shutdown). Resolves with whether everything was stored.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      if (this.unsavedUpdates === 0) return true;
      const wait = Math.min(this.retryMs || this.windowMs, deadline - Date.now());
      if (wait <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async writeAll(): Promise<void> {
    const batches: { room: Room; rows: PendingRow[]; updates: number; bytes: number }[] = [];
    for (const room of this.dirty) {
      const { rows, updates, bytes } = room.takePending();
      if (rows.length) batches.push({ room, rows, updates, bytes });
    }
    this.dirty.clear();
    if (!batches.length) return;
    let lastIds: Map<string, bigint>;
    try {
      const columns = emptyLogColumns();
      for (const { room, rows } of batches) {
        for (const row of rows) {
          columns.articleIds.push(room.ref.articleId);
          columns.rooms.push(room.ref.room);
          columns.userIds.push(row.userId);
          columns.updates.push(row.update);
        }
      }
      lastIds = await this.store.append(columns);
    } catch (error) {
      for (const { room, rows, bytes, updates } of batches) {
        room.restorePending(rows, { updates, bytes });
        this.dirty.add(room);
      }
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 500), MAX_RETRY_MS);
      this.failing = true;
      this.reportFailing();
      logger().error({ err: error, rooms: batches.length, ...this.metrics() }, "could not write the update log; retrying");
      this.timer ??= setTimeout(() => void this.flush(), this.retryMs);
      return;
    }
    this.retryMs = 0;
    for (const { room, rows, bytes, updates } of batches) {
      this.unsavedUpdates -= updates;
      this.unsavedBytes -= bytes;
      room.persisted(lastIds.get(roomName(room.ref.articleId, room.ref.room)) ?? 0n, rows.length, updates);
    }
    if (this.failing) {
      // The write that just succeeded held everything that had waited: the backlog is stored.
      this.failing = false;
      reportHealth(LOG_HEALTH_COMPONENT, { ok: true });
      logger().info("the update log is writable again; every waiting update is stored");
    }
    await this.touch(batches.map((b) => b.room));
  }

  private metrics(): { pendingUpdates: number; pendingBytes: number; retryInMs: number } {
    return { pendingUpdates: this.unsavedUpdates, pendingBytes: this.unsavedBytes, retryInMs: this.retryMs };
  }

  private reportFailing(): void {
    const refusing = this.full ? "; new edits are refused until it drains" : "";
    reportHealth(LOG_HEALTH_COMPONENT, {
      ok: false,
      detail: `database unreachable, ${this.unsavedUpdates} updates waiting${refusing}`,
      metrics: this.metrics(),
    });
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
