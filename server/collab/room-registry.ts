import type { RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import { ROOM_KINDS, roomName } from "@/model/rooms";
import { readTeamSettings } from "@/model/verdict-scale";
import type { RoomStore } from "./persistence";
import { Room, type ApprovalRecord } from "./room";
import { UpdateWriter } from "./update-writer";

/** The desk an article belongs to, as the upgrade check already loaded it. */
export interface Desk {
  teamId: string;
  settings: unknown;
}

/** How long an empty room stays loaded, so that a reload or a quick reconnect need not hit the database. */
export const DEFAULT_IDLE_UNLOAD_MS = 30_000;
/** On shutdown, how long to keep retrying the update log while the database is away before giving up. */
export const SHUTDOWN_DRAIN_MS = 10_000;

/**
 * The loaded rooms of this process. Loads are single-flight: everyone who asks for a room while it
 * loads waits for the same load. Empty rooms are flushed at once and unloaded when idle, but never
 * while some of their updates are unsaved (the database is away): the room is then the only copy the
 * server has, and a reconnecting client can still join it.
 */
export class RoomRegistry {
  /** A room while it loads, then the room itself (so questions about loaded rooms need not wait). */
  private readonly rooms = new Map<string, Room | Promise<Room>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly writer: UpdateWriter;

  constructor(
    private readonly store: RoomStore,
    private readonly options: {
      idleUnloadMs?: number;
      /** Most bytes of unstored updates before edits are refused (default LIMITS.unsavedLogBytes). */
      unsavedLogBytes?: number;
      onPersisted?: (room: Room, final: boolean) => void;
      /** Called once updates that gave or withdrew approvals are stored. */
      onApprovals?: (room: Room, approvals: ApprovalRecord[]) => void;
      /** Called once the last person has left every room of an article and its edits are stored. */
      onArticleEmpty?: (room: Room) => void;
      /** Scale-out: a room has been loaded (before anyone joins it). */
      onLoaded?: (room: Room) => void;
      /** Scale-out: a room has been closed (flushed and checkpointed). */
      onClosed?: (room: Room) => Promise<void>;
    } = {},
  ) {
    this.writer = new UpdateWriter(store, { unsavedLogBytes: options.unsavedLogBytes });
  }

  /**
   * The room, loaded if needed. A room that is already loaded takes the desk's verdict scale and
   * approval setting from the joining connection's upgrade check, so a change counts from the next
   * connection on.
   */
  get(ref: RoomRef, desk: Desk): Promise<Room> {
    const name = roomName(ref.articleId, ref.room);
    this.cancelUnload(name);
    const entry = this.rooms.get(name);
    if (entry instanceof Room) {
      const settings = readTeamSettings(desk.settings);
      entry.scale = settings.verdictScale;
      entry.allowSelfApproval = settings.allowSelfApproval;
      return Promise.resolve(entry);
    }
    if (entry) return entry.then((loaded) => this.get(loaded.ref, desk));
    const loading = this.load(ref, desk);
    this.rooms.set(name, loading);
    loading.then(
      (room) => {
        if (this.rooms.get(name) === loading) this.rooms.set(name, room);
      },
      () => {
        if (this.rooms.get(name) === loading) this.rooms.delete(name);
      },
    );
    return loading;
  }

  private async load(ref: RoomRef, desk: Desk): Promise<Room> {
    const settings = readTeamSettings(desk.settings);
    const room = new Room(ref, desk.teamId, this.store, this.writer, await this.store.load(ref), {
      scale: settings.verdictScale,
      allowSelfApproval: settings.allowSelfApproval,
      onPersisted: this.options.onPersisted,
      onApprovals: this.options.onApprovals,
    });
    this.options.onLoaded?.(room);
    return room;
  }

  /** The room if this process has it loaded. */
  find(ref: RoomRef): Room | undefined {
    const entry = this.rooms.get(roomName(ref.articleId, ref.room));
    return entry instanceof Room ? entry : undefined;
  }

  private articleHasPeers(articleId: string): boolean {
    return ROOM_KINDS.some((kind) => (this.find({ articleId, room: kind })?.peers.size ?? 0) > 0);
  }

  /**
   * The rooms loaded now, without waiting for those still loading (nobody has joined those yet). The
   * access check runs every two seconds; awaiting every room's promise there made one promise and one
   * settled result per room, each time.
   */
  *loadedNow(): IterableIterator<Room> {
    for (const entry of this.rooms.values()) if (entry instanceof Room) yield entry;
  }

  /** Every loaded room, once those still loading have loaded (for shutdown). */
  async loaded(): Promise<Room[]> {
    const settled = await Promise.allSettled(this.rooms.values());
    return settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  }

  /** Called when a room's last peer leaves: flush now, unload later unless someone comes back. */
  released(room: Room): void {
    if (room.peers.size) return;
    void room.flush().then(() => {
      if (!this.articleHasPeers(room.ref.articleId)) this.options.onArticleEmpty?.(room);
    });
    this.scheduleUnload(room);
  }

  private scheduleUnload(room: Room): void {
    const name = roomName(room.ref.articleId, room.ref.room);
    this.cancelUnload(name);
    this.unloadTimers.set(
      name,
      setTimeout(() => {
        this.unloadTimers.delete(name);
        if (room.peers.size) return;
        if (room.hasUnsaved()) return this.scheduleUnload(room);
        this.rooms.delete(name);
        room
          .close()
          .then(() => this.options.onClosed?.(room))
          .catch((error: unknown) => logger().error({ err: error, room: room.ref }, "unloading a room failed"));
      }, this.options.idleUnloadMs ?? DEFAULT_IDLE_UNLOAD_MS),
    );
  }

  /** The process's unsaved log: what waits to be stored, and whether edits are being refused. */
  unsavedLog(): { updates: number; bytes: number; full: boolean } {
    return { ...this.writer.unsaved, full: this.writer.full };
  }

  private cancelUnload(name: string): void {
    const timer = this.unloadTimers.get(name);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(name);
  }

  /** Flushes and closes every room (on shutdown). */
  async closeAll(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const rooms = await this.loaded();
    this.rooms.clear();
    if (!(await this.writer.drain(SHUTDOWN_DRAIN_MS))) {
      // The clients that made these edits still hold them and send them again when they reconnect.
      logger().error({ ...this.writer.unsaved }, "stopping with updates the database did not take");
    }
    await Promise.all(rooms.map((room) => room.close().then(() => this.options.onClosed?.(room))));
  }
}
