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

/** Most awareness client ids one connection may speak for (a tab normally uses one). */
const MAX_CLIENT_IDS = 4;

/**
 * One websocket in one room. Every frame is size-checked and decoded before it can touch the
 * document; writes from a role that may not write are dropped and answered with permission-denied.
 */
export class Connection implements RoomPeer {
  readonly userId: string;
  readonly clientIds = new Set<number>();
  private closed = false;
  private readonly canWrite: boolean;

  constructor(
    private readonly ws: WebSocket,
    readonly room: Room,
    readonly identity: Identity,
    private readonly onClose: (connection: Connection) => void,
  ) {
    this.userId = identity.userId;
    this.canWrite = canWriteRoom(identity.role, room.ref.room);
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
      if (!handshake) this.send(encodePermissionDenied(`Your role (${this.identity.role}) may not change this document.`));
      return;
    }
    if (this.room.wouldExceedLimit(update.byteLength)) return this.close(CLOSE_CODES.documentTooLarge, "document too large");
    if (this.room.guard) {
      const verdict = this.room.guard.check(update, { userId: this.userId, role: this.identity.role });
      // A close reason may hold at most 123 bytes.
      if (!verdict.ok) return this.close(CLOSE_CODES.refused, truncateUtf8(verdict.reason, 120));
      this.room.applyUpdate(update, this);
      this.room.recordApprovals(verdict.approvals, this.userId);
      return;
    }
    this.room.applyUpdate(update, this);
  }

  /** Applies a presence update with the name, colour and role replaced by the verified identity. */
  private updatePresence(update: Uint8Array): void {
    const user: PresenceUser = {
      id: this.identity.userId,
      name: this.identity.name,
      color: this.identity.colour,
      role: this.identity.role,
      // In the body and review rooms "read-only" means the article text; in the summary, the summary.
      readOnly: !canWriteRoom(this.identity.role, this.room.ref.room === "summary" ? "summary" : "body"),
    };
    const entries = decodeAwarenessUpdate(update).filter((entry) => {
      if (this.clientIds.has(entry.clientId)) return true;
      // A client id already speaking through another connection is not this connection's to use.
      if (this.room.awareness.getStates().has(entry.clientId) || this.clientIds.size >= MAX_CLIENT_IDS) return false;
      this.clientIds.add(entry.clientId);
      return true;
    });
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
    if (this.clientIds.size) awarenessProtocol.removeAwarenessStates(this.room.awareness, [...this.clientIds], this);
    this.onClose(this);
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  let out = text;
  while (encoder.encode(out).byteLength > maxBytes) out = out.slice(0, -1);
  return out;
}
