import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { logger } from "@/lib/logger";
import { CLOSE_CODES } from "@/model/close-codes";
import { LIMITS } from "@/model/limits";
import { canWriteRoom } from "@/model/rooms";
import type { Identity, PresenceUser } from "./identity";
import {
  decodeAwarenessUpdate,
  decodeClientMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  type ClientMessage,
} from "./protocol";
import type { Room, RoomPeer } from "./room";
import { checkUpdate } from "./update-check";

/** Most awareness client ids one connection may speak for (a tab normally uses one). */
const MAX_CLIENT_IDS = 4;

/** Per room, the connections keeping updates aside until the document holds what those build on. */
const HOLDING_BACK = new WeakMap<Room, Set<Connection>>();

/**
 * One websocket in one room. Every frame is size-checked and decoded before it can touch the
 * document; writes from a role that may not write are dropped and answered with permission-denied.
 */
export class Connection implements RoomPeer {
  readonly userId: string;
  /** The awareness client ids this connection speaks for; made on its first presence (most readers never send one). */
  private clientIds: Set<number> | undefined;
  private closed = false;
  /** This connection's updates that build on changes the server does not have yet, and what they wait for (see holdBack). */
  private heldBack: { update: Uint8Array; needs: Map<number, number> } | undefined;
  private readonly canWrite: boolean;

  constructor(
    private readonly ws: WebSocket,
    readonly room: Room,
    readonly identity: Identity,
    /** Called once the connection has left its room (with that room: one function serves every connection). */
    private readonly onClose: (room: Room) => void,
  ) {
    this.userId = identity.userId;
    // A read-only ticket (an API token without the write scope) reads whatever the role could write.
    this.canWrite = !identity.readOnly && canWriteRoom(identity.role, room.ref.room);
  }

  /** The awareness client ids this connection speaks for. */
  presenceIds(): number[] {
    return this.clientIds ? [...this.clientIds] : [];
  }

  /** Joins the room and starts the protocol: our state vector and the current presence. */
  start(): void {
    this.room.peers.add(this);
    this.send(encodeSyncStep1(Y.encodeStateVector(this.room.doc)));
    const present = [...this.room.awareness.getStates().keys()];
    if (present.length) this.send(encodeAwareness(this.room.awareness, present));
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // No callback: a failed write errors and closes the socket, which detaches this connection; a
    // callback per send would only add an allocation to every relayed update.
    this.ws.send(message);
  }

  /** Handles one frame. Never throws: a bad frame closes this connection only. */
  receive(data: Uint8Array): void {
    if (this.closed) return;
    if (data.byteLength > LIMITS.wsMessageBytes) return this.close(CLOSE_CODES.messageTooLarge, "message too large");
    let message: ClientMessage;
    try {
      message = decodeClientMessage(data);
    } catch {
      return this.close(CLOSE_CODES.malformed, "malformed message");
    }
    try {
      this.handle(message);
    } catch (error) {
      logger().warn({ err: error, room: this.room.ref, userId: this.userId }, "refused a frame that could not be applied");
      this.close(CLOSE_CODES.malformed, "update could not be applied");
    }
  }

  private handle(message: ClientMessage): void {
    switch (message.type) {
      case "sync-step-1":
        this.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.room.doc, message.stateVector)));
        return;
      case "sync-step-2":
      case "update":
        return this.write(message.update, message.type);
      case "awareness":
        return this.updatePresence(message.update);
      case "query-awareness":
        this.send(encodeAwareness(this.room.awareness, [...this.room.awareness.getStates().keys()]));
        return;
      case "auth":
        return;
    }
  }

  private write(update: Uint8Array, kind: "sync-step-2" | "update"): void {
    if (!this.canWrite) {
      // Dropped whatever it holds. A read-only client's answer to our step 1 carries the document's
      // delete set but no new content; that is the handshake, not an attempt to write.
      const handshake = kind === "sync-step-2" && Y.parseUpdateMeta(update).to.size === 0;
      if (!handshake) this.send(encodePermissionDenied(this.identity.readOnly ? "This connection is read-only (an API token without the write scope)." : `Your role (${this.identity.role}) may not change this document.`));
      return;
    }
    // The database is away and the unsaved log is full: refuse before applying, so that whatever was
    // accepted is exactly what will be stored. The client keeps the edit and sends it again later.
    if (this.room.unsavedLogFull() && this.room.wouldChange(update)) return this.close(CLOSE_CODES.storageUnavailable, "the server cannot save changes right now");
    if (this.room.wouldExceedLimit(update.byteLength)) return this.close(CLOSE_CODES.documentTooLarge, "document too large");
    const check = checkUpdate(this.room.ref.room, this.room.doc, update);
    if (check.verdict === "refuse") return this.close(CLOSE_CODES.refused, check.reason);
    if (check.verdict === "wait") return this.holdBack(update, check.needs);
    if (this.room.guard) {
      const verdict = this.room.guard.check(update, { userId: this.userId, role: this.identity.role });
      // A close reason may hold at most 123 bytes.
      if (!verdict.ok) return this.close(CLOSE_CODES.refused, truncateUtf8(verdict.reason, 120));
      this.room.applyUpdate(update, this);
      this.room.recordApprovals(verdict.approvals, this.userId);
    } else {
      this.room.applyUpdate(update, this);
    }
    // What this update brought may be what held-back updates (here or on other connections) wait for.
    // Only the few connections holding something back are tried, not every peer on every keystroke.
    const waiting = HOLDING_BACK.get(this.room);
    if (waiting?.size) for (const connection of [...waiting]) connection.retryHeldBack();
  }

  /**
   * Keeps aside an update that builds on changes the server does not have yet: a reconnecting
   * client's new edits can overtake its answer to our sync step 1. Inside the document Yjs would
   * park it unchecked, outside the size limit, for every newcomer and every checkpoint, for ever if
   * what it waits for never came; here it is bounded, tried again only once the document holds what
   * it needs (so it costs nothing meanwhile), checked again then, and dropped with the connection
   * (the client sends it again on its next sync).
   */
  private holdBack(update: Uint8Array, needs: Map<number, number>): void {
    const held = this.heldBack;
    const merged = held ? Y.mergeUpdates([held.update, update]) : update;
    if (merged.byteLength > LIMITS.wsMessageBytes) return this.close(CLOSE_CODES.refused, "Too much depends on changes the server does not have.");
    if (held) for (const [client, clock] of held.needs) needs.set(client, Math.max(needs.get(client) ?? 0, clock));
    this.heldBack = { update: merged, needs };
    let waiting = HOLDING_BACK.get(this.room);
    if (!waiting) HOLDING_BACK.set(this.room, (waiting = new Set()));
    waiting.add(this);
  }

  /** Tries the held-back updates again once the document holds everything they wait for. */
  retryHeldBack(): void {
    const held = this.heldBack;
    if (!held || this.closed) return;
    for (const [client, clock] of held.needs) if (Y.getState(this.room.doc.store, client) < clock) return;
    this.heldBack = undefined;
    HOLDING_BACK.get(this.room)?.delete(this);
    try {
      this.write(Y.diffUpdate(held.update, Y.encodeStateVector(this.room.doc)), "update");
    } catch (error) {
      logger().warn({ err: error, room: this.room.ref, userId: this.userId }, "refused a held-back update that could not be applied");
      this.close(CLOSE_CODES.malformed, "update could not be applied");
    }
  }

  /** Applies a presence update with the name, colour and role replaced by the verified identity. */
  private updatePresence(update: Uint8Array): void {
    const user: PresenceUser = {
      id: this.identity.userId,
      name: this.identity.name,
      color: this.identity.colour,
      role: this.identity.role,
      // In the body and review rooms "read-only" means the article text; in the summary, the summary.
      readOnly: Boolean(this.identity.readOnly) || !canWriteRoom(this.identity.role, this.room.ref.room === "summary" ? "summary" : "body"),
      guest: this.identity.guest === true,
    };
    let stale: number[] | undefined;
    const entries = decodeAwarenessUpdate(update).filter((entry) => {
      if (this.clientIds?.has(entry.clientId)) return true;
      // A client id already speaking through another connection is not this connection's to use.
      if (this.room.awareness.getStates().has(entry.clientId) || (this.clientIds?.size ?? 0) >= MAX_CLIENT_IDS) return false;
      // y-websocket clients echo every presence they receive. An echo of someone who has just left
      // carries that person's last clock, which awareness would not apply: it is not this connection's.
      const known = this.room.awareness.meta.get(entry.clientId);
      if (entry.clock <= (known?.clock ?? 0)) {
        if (known) (stale ??= []).push(entry.clientId);
        return false;
      }
      (this.clientIds ??= new Set()).add(entry.clientId);
      return true;
    });
    // The id's owner may be who sent it: someone else can have claimed the id before its owner
    // announced itself, with a huge clock, and left. Answering with the id's clock as a removal lets
    // an owner's y-protocols step past that clock and announce itself again (it does so whenever it
    // hears it was removed); an echoer only drops an id it does not own, so echoes still bring no one back.
    if (stale) this.send(encodeAwareness(this.room.awareness, stale));
    if (!entries.length) return;
    const rewritten = entries.map((entry) => ({ ...entry, state: entry.state === null ? null : { ...entry.state, user } }));
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessEntries(rewritten), this);
  }

  /** Closes the socket with a code and reason, and leaves the room. */
  close(code: number, reason: string): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
    this.detach();
  }

  /** Leaves the room after the socket has closed. */
  detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.room.peers.delete(this);
    HOLDING_BACK.get(this.room)?.delete(this);
    if (this.clientIds?.size) {
      awarenessProtocol.removeAwarenessStates(this.room.awareness, [...this.clientIds], this);
      forgetDepartedClocks(this.room.awareness, this.clientIds);
    }
    this.onClose(this.room);
  }
}

/**
 * Awareness keeps a clock for every client id it has ever seen, so a room open for days would collect
 * one per tab ever opened. A departed client's clock is kept for the awareness timeout (it stops late
 * echoes of its last state from bringing it back), then forgotten.
 */
function forgetDepartedClocks(awareness: awarenessProtocol.Awareness, departed: Iterable<number>): void {
  const now = Date.now();
  for (const id of departed) {
    const meta = awareness.meta.get(id);
    if (meta && !awareness.states.has(id)) awareness.meta.set(id, { clock: meta.clock, lastUpdated: now });
  }
  for (const [id, meta] of awareness.meta) {
    if (id !== awareness.clientID && !awareness.states.has(id) && now - meta.lastUpdated > awarenessProtocol.outdatedTimeout) awareness.meta.delete(id);
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  let out = text;
  while (encoder.encode(out).byteLength > maxBytes) out = out.slice(0, -1);
  return out;
}
