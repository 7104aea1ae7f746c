import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import { LIMITS } from "@/model/limits";
import { threadsMap } from "@/model/review";
import type { VerdictScale } from "@/model/verdict-scale";
import type { ApprovalEvent, RoomGuard } from "./guard";
import type { RoomStore } from "./persistence";
import { ReviewGuard } from "./review-guard";
import { SummaryGuard } from "./summary-guard";
import type { UpdateWriter } from "./update-writer";
import { encodeAwareness, encodeUpdate } from "./protocol";

/** After this many log rows since the last checkpoint, a new checkpoint is written. */
export const COMPACT_AFTER_ROWS = 200;
/** Scale-out: a room that does not write its log re-measures its size after this many updates. */
const REMEASURE_AFTER_UPDATES = 2_000;

/** An approval given or withdrawn by a person, as the room hands it on once the update is stored. */
export interface ApprovalRecord extends ApprovalEvent {
  actorId: string;
}

/** One log row a room hands to the writer: a user's updates of one window, merged. */
export interface PendingRow {
  userId: string | null;
  update: Uint8Array;
}

/** What a room needs from a connection: a way to send, and who it is. */
export interface RoomPeer {
  userId: string;
  send(message: Uint8Array): void;
}

/**
 * One loaded Yjs document with its awareness, its peers and its write-behind buffer. Updates are
 * applied and relayed at once; the process's UpdateWriter takes them to PostgreSQL within a window,
 * merged per user.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<RoomPeer>();
  /** Approximate encoded size, kept cheaply so that every update need not re-encode the document. */
  byteSize: number;
  /** Updates not yet handed to the writer, per user; undefined when there are none (most rooms, most of the time). */
  private pending: Map<string | null, Uint8Array[]> | undefined;
  /** What `pending` holds: how many accepted updates, and their size in bytes. */
  private pendingUpdates = 0;
  private pendingBytes = 0;
  /** Accepted updates not yet stored: pending, or in a write under way. */
  private unsavedUpdates = 0;
  /** When the writer last refreshed the article's "last activity" for this room (ms since the epoch). */
  touchedAt = 0;
  private compacting: Promise<void> | undefined;
  private readonly onPersisted: ((room: Room, final: boolean) => void) | undefined;
  /** Whether the room has been closed; its document must not be read any more. */
  closed = false;
  private lastUpdateId: bigint;
  private rowsSinceCheckpoint: number;
  /** The newest log row read back from the database (at load, or when another writer appended). */
  private logCursor: bigint;
  private catchingUp: Promise<void> | undefined;
  /** Checks every peer's update to a `review` or `summary` room before it is applied. */
  readonly guard: RoomGuard | undefined;
  /** The desk's verdict scale, refreshed by the registry. */
  scale: VerdictScale;
  /** The desk's setting: whether the author of a verdict may approve it; refreshed by the registry. */
  allowSelfApproval: boolean;
  /** Approvals whose updates are not yet handed to the writer, then those in the write under way. */
  private approvals: ApprovalRecord[] | undefined;
  private approvalsInFlight: ApprovalRecord[] | undefined;
  private readonly onApprovals: ((room: Room, approvals: ApprovalRecord[]) => void) | undefined;
  /** Threads of a `review` room changed since the projection last read them. */
  private changedThreads: Set<string> | undefined;
  /** Scale-out: false while this server does not hold the room's lease; another server writes its log. */
  private writing = true;
  /** Counts lease changes, so that rows taken under an earlier lease are never put back and written twice. */
  private logEpoch = 0;
  private takenInEpoch = 0;
  private unmeasuredUpdates = 0;
  /** Scale-out: where approvals go while this server does not write the log (the lease holder records them). */
  approvalHandOff: ((approvals: ApprovalRecord[]) => void) | undefined;

  constructor(
    readonly ref: RoomRef,
    readonly teamId: string,
    private readonly store: RoomStore,
    private readonly writer: UpdateWriter,
    loaded: { state: Uint8Array; lastUpdateId: bigint; rowsSinceCheckpoint: number },
    options: {
      scale: VerdictScale;
      allowSelfApproval?: boolean;
      onPersisted?: (room: Room, final: boolean) => void;
      /** Called once the updates that gave or withdrew approvals are stored. */
      onApprovals?: (room: Room, approvals: ApprovalRecord[]) => void;
    },
  ) {
    this.scale = options.scale;
    this.allowSelfApproval = options.allowSelfApproval ?? false;
    this.onPersisted = options.onPersisted;
    this.onApprovals = options.onApprovals;
    Y.applyUpdate(this.doc, loaded.state, "load");
    this.guard = makeGuard(ref.room, this.doc, () => this.scale, () => this.allowSelfApproval);
    this.byteSize = loaded.state.byteLength;
    this.lastUpdateId = loaded.lastUpdateId;
    this.logCursor = loaded.lastUpdateId;
    this.rowsSinceCheckpoint = loaded.rowsSinceCheckpoint;
    if (ref.room === "review") {
      const threads = threadsMap(this.doc);
      threads.observeDeep((events) => {
        for (const event of events) {
          const changed = (this.changedThreads ??= new Set());
          if (event.target === threads) for (const id of event.changes.keys.keys()) changed.add(id);
          else if (typeof event.path[0] === "string") changed.add(event.path[0]);
        }
      });
    }
    // The server owns no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (!changed.length) return;
      const message = encodeAwareness(this.awareness, changed);
      for (const peer of this.peers) if (peer !== origin) peer.send(message);
    });
  }

  /** Applies an update from a peer (or from the server itself when `origin` is null). */
  applyUpdate(update: Uint8Array, origin: RoomPeer | null): void {
    Y.applyUpdate(this.doc, update, origin ?? "server");
  }

  /**
   * Notes approvals given or withdrawn by the update just applied from `userId`. They are handed on
   * once that update is stored (see persisted), never before.
   */
  recordApprovals(approvals: ApprovalEvent[], userId: string): void {
    if (!approvals.length) return;
    const records = approvals.map((a) => ({ ...a, actorId: userId }));
    if (this.writing) (this.approvals ??= []).push(...records);
    else this.approvalHandOff?.(records);
  }

  /** Whether this server writes the room's log (always, unless several servers share it through Redis). */
  get writesLog(): boolean {
    return this.writing;
  }

  /**
   * Scale-out: another server holds the room's lease (or nobody yet). Nothing is buffered for the log
   * from now on, and what was pending is dropped: the lease holder writes those updates, or, if it
   * never had them, whoever takes the lease next finds them missing from the log and writes them.
   */
  stopWritingLog(): void {
    if (!this.writing) return;
    this.writing = false;
    this.logEpoch++;
    this.dropPending({ updates: this.pendingUpdates, bytes: this.pendingBytes });
    this.pending = undefined;
    this.pendingUpdates = 0;
    this.pendingBytes = 0;
    const approvals = [...(this.approvalsInFlight ?? []), ...(this.approvals ?? [])];
    this.approvals = undefined;
    this.approvalsInFlight = undefined;
    if (approvals.length) this.approvalHandOff?.(approvals);
  }

  /**
   * Scale-out: this server has taken the room's lease. The log stands at `position`; `missing` (what
   * the document holds that the log does not) becomes the first row, the server's own.
   */
  startWritingLog(position: { lastUpdateId: bigint; rowsSinceCheckpoint: number }, missing: Uint8Array | undefined): void {
    this.writing = true;
    this.logEpoch++;
    if (position.lastUpdateId > this.lastUpdateId) this.lastUpdateId = position.lastUpdateId;
    if (position.lastUpdateId > this.logCursor) this.logCursor = position.lastUpdateId;
    this.rowsSinceCheckpoint = position.rowsSinceCheckpoint;
    if (missing) this.buffer(null, missing);
  }

  /**
   * Scale-out: a room that does not write its log never checkpoints, which is when the size estimate
   * is corrected; it re-measures every so many updates instead, or the estimate would only grow.
   */
  private measureNowAndThen(): void {
    if (++this.unmeasuredUpdates < REMEASURE_AFTER_UPDATES) return;
    this.unmeasuredUpdates = 0;
    this.byteSize = Y.encodeStateAsUpdate(this.doc).byteLength;
  }

  /** Forgets updates that will not be written here after all (the writer counted them as unsaved). */
  private dropPending(counts: { updates: number; bytes: number }): void {
    this.unsavedUpdates -= counts.updates;
    this.writer.discard(counts);
  }

  /** The threads changed since the last call (for the projection). */
  takeChangedThreads(): Set<string> {
    const changed = this.changedThreads ?? new Set<string>();
    this.changedThreads = undefined;
    return changed;
  }

  /**
   * Whether the process's unsaved log is full (the database has been away for a while): edits that
   * would change a document must then be refused before they are applied.
   */
  unsavedLogFull(): boolean {
    return this.writer.full;
  }

  /**
   * Whether applying `update` would change the document: new content, or deletions not yet made. A
   * reconnecting client's sync answer often carries nothing new, and is not an edit. This reads the
   * whole document, so it is asked only while the unsaved log is full.
   */
  wouldChange(update: Uint8Array): boolean {
    return !Y.snapshotContainsUpdate(Y.snapshot(this.doc), update);
  }

  /** Whether some accepted update of this room is not stored yet (the room must then stay loaded). */
  hasUnsaved(): boolean {
    return this.unsavedUpdates > 0;
  }

  /** Whether adding `bytes` would take the document past its size limit. */
  wouldExceedLimit(bytes: number): boolean {
    return this.byteSize + bytes > LIMITS.documentBytes;
  }

  /**
   * Reads the log rows someone else appended since this room last read it (a restore made over
   * HTTP) and sends them to the peers. They are already stored, so they are not written again; rows
   * this server wrote itself come back too and change nothing.
   */
  catchUpWithLog(): Promise<void> {
    this.catchingUp ??= this.readLog().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async readLog(): Promise<void> {
    const rows = await this.store.readAfter(this.ref, this.logCursor);
    if (!rows.length || this.closed) return;
    this.logCursor = rows.at(-1)!.id;
    if (this.logCursor > this.lastUpdateId) this.lastUpdateId = this.logCursor;
    this.rowsSinceCheckpoint += rows.length;
    Y.applyUpdate(this.doc, Y.mergeUpdates(rows.map((row) => row.update)), "log");
    this.onPersisted?.(this, false);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === "load") return;
    // A peer's update reached the shadow while it was checked; the server's own must be copied.
    if (this.guard && !this.peers.has(origin as RoomPeer)) this.guard.sync(update);
    this.byteSize += update.byteLength;
    const message = encodeUpdate(update);
    for (const peer of this.peers) if (peer !== origin) peer.send(message);
    if (origin === "log") return;
    if (!this.writing) return this.measureNowAndThen();
    // A peer, or (scale-out) the relay with the user whose update another server accepted.
    const userId = origin && typeof origin === "object" && "userId" in origin ? (origin as RoomPeer).userId : null;
    this.buffer(userId, update);
  }

  /** Adds an update to the rows the writer takes next. */
  private buffer(userId: string | null, update: Uint8Array): void {
    const pending = (this.pending ??= new Map());
    const list = pending.get(userId);
    if (list) list.push(update);
    else pending.set(userId, [update]);
    this.pendingUpdates++;
    this.pendingBytes += update.byteLength;
    this.unsavedUpdates++;
    this.writer.markDirty(this, update.byteLength);
  }

  /**
   * Hands the pending updates to the writer: one merged row per user, with how many updates and
   * bytes (as they were counted in) the rows stand for.
   */
  takePending(): { rows: PendingRow[]; updates: number; bytes: number } {
    const batch = this.pending;
    this.takenInEpoch = this.logEpoch;
    const counts = { updates: this.pendingUpdates, bytes: this.pendingBytes };
    this.pending = undefined;
    this.pendingUpdates = 0;
    this.pendingBytes = 0;
    // The approvals noted so far came with updates in this batch.
    if (this.approvals) {
      this.approvalsInFlight = [...(this.approvalsInFlight ?? []), ...this.approvals];
      this.approvals = undefined;
    }
    const rows: PendingRow[] = [];
    if (batch) for (const [userId, updates] of batch) rows.push({ userId, update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates) });
    return { rows, ...counts };
  }

  /**
   * Takes back rows the writer could not store, ahead of anything that arrived meanwhile, with the
   * counts takePending gave for them (kept as they were: see UpdateWriter on what the bound counts).
   */
  restorePending(rows: PendingRow[], counts: { updates: number; bytes: number }): void {
    if (!this.writing || this.takenInEpoch !== this.logEpoch) {
      // Taken under a lease since lost: whoever holds the lease now writes what the log lacks.
      this.dropPending(counts);
      const approvals = this.approvalsInFlight;
      this.approvalsInFlight = undefined;
      if (approvals && this.writing) this.approvals = [...approvals, ...(this.approvals ?? [])];
      else if (approvals) this.approvalHandOff?.(approvals);
      return;
    }
    const restored = new Map<string | null, Uint8Array[]>();
    for (const row of rows) restored.set(row.userId, [...(restored.get(row.userId) ?? []), row.update]);
    for (const [userId, later] of this.pending ?? []) restored.set(userId, [...(restored.get(userId) ?? []), ...later]);
    this.pending = restored;
    this.pendingUpdates += counts.updates;
    this.pendingBytes += counts.bytes;
    if (this.approvalsInFlight) {
      this.approvals = [...this.approvalsInFlight, ...(this.approvals ?? [])];
      this.approvalsInFlight = undefined;
    }
  }

  /** Called by the writer once this room's rows, standing for `updates` accepted updates, are stored. */
  persisted(lastUpdateId: bigint, rows: number, updates: number): void {
    this.unsavedUpdates -= updates;
    if (lastUpdateId > this.lastUpdateId) this.lastUpdateId = lastUpdateId;
    this.rowsSinceCheckpoint += rows;
    const approvals = this.approvalsInFlight;
    this.approvalsInFlight = undefined;
    if (approvals) this.onApprovals?.(this, approvals);
    this.onPersisted?.(this, false);
    if (this.rowsSinceCheckpoint >= COMPACT_AFTER_ROWS) void this.compact();
  }

  /** Writes everything pending now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Writes a checkpoint of the whole state, if the log has rows since the last one (one at a time). */
  compact(): Promise<void> {
    this.compacting ??= this.writeCheckpoint().finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  private async writeCheckpoint(): Promise<void> {
    // A room closed while its log could not be written (shutdown during an outage) has no document left.
    if (this.closed || !this.writing || this.rowsSinceCheckpoint === 0 || this.pending) return;
    // The state may already hold updates still pending for the log; loading replays those rows on
    // top, which Yjs ignores as already applied.
    const state = Y.encodeStateAsUpdate(this.doc);
    const covered = this.rowsSinceCheckpoint;
    try {
      await this.store.checkpoint(this.ref, state, this.lastUpdateId);
      this.rowsSinceCheckpoint -= covered;
      this.byteSize = state.byteLength;
    } catch (error) {
      // Nothing is lost: the rows stay counted, so the next stored row tries again.
      logger().warn({ err: error, room: this.ref }, "checkpoint failed; the log still holds everything");
    }
  }

  /** Flushes, compacts and frees the document. */
  async close(): Promise<void> {
    await this.flush();
    await this.compact();
    // Last chance for derived data (the projection) to read the document; the log's writer does it.
    if (this.writing) this.onPersisted?.(this, true);
    this.closed = true;
    this.guard?.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

function makeGuard(kind: RoomRef["room"], doc: Y.Doc, scale: () => VerdictScale, allowSelfApproval: () => boolean): RoomGuard | undefined {
  switch (kind) {
    case "review":
      return new ReviewGuard(doc, scale, allowSelfApproval);
    case "summary":
      return new SummaryGuard(doc, scale, allowSelfApproval);
    case "body":
      // The text is free for its writers; the connection's role check is all it needs.
      return undefined;
  }
}
