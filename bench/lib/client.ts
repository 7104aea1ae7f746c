import { performance } from "node:perf_hooks";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { threadsMap, updateClaim } from "@/model/review";
import { SEED_TEXT } from "./content";
import { prose } from "./review-content";
import { seededRandom } from "../../tests/support/ports";
import type { FanoutTracker } from "./tracker";

/**
 * The wire format. "y-websocket": the y-protocols messages as they are (ours and the stock server).
 * "hocuspocus": the same messages, each prefixed with the document name, after an Auth frame, as
 * @hocuspocus/provider sends them (read from @hocuspocus/server 4.7.0's ClientConnection and
 * MessageReceiver).
 */
export type Dialect = "y-websocket" | "hocuspocus";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
// Hocuspocus only:
const HP_SYNC_REPLY = 4;
const HP_CLOSE = 7;
const HP_AUTH_TOKEN = 0;
const HP_AUTH_PERMISSION_DENIED = 1;

/** The shared fragment holding the article text (model/rooms.ts BODY_FRAGMENT). */
const FRAGMENT = "default";

export interface ClientOptions {
  baseUrl: string;
  path: string;
  docName: string;
  token: string;
  dialect: Dialect;
  tracker: FanoutTracker;
  /** Number of other clients in this room (the receivers of each edit). */
  peers: () => number;
  name: string;
  onError: (message: string) => void;
  /** The room the client joins: the article text (default) or its review document. */
  room?: "body" | "review";
  /** Review room: the user the client writes as, and the claim whose rationale it types. */
  userId?: string;
  claimId?: string;
}

/**
 * A minimal editor: one Y.Doc synced over one websocket with the y-protocols sync messages, one
 * presence state sent on join, and a `type()` that inserts one character into the article's first
 * paragraph. It is lighter than y-websocket's WebsocketProvider (no awareness timers, no
 * BroadcastChannel), so that hundreds of them fit in the harness process; every server gets exactly
 * the same client code except for the Hocuspocus framing. In a `review` room, `type()` is a checker
 * typing a claim's rationale instead: one `updateClaim` (model/review) with the rationale grown by a
 * few characters, as the sidebar sends it.
 */
export class BenchClient {
  readonly doc = new Y.Doc();
  private ws: WebSocket | undefined;
  private cursor = 0;
  private closedByUs = false;
  private resolveSynced: (() => void) | undefined;
  readonly synced: Promise<void>;

  constructor(private readonly options: ClientOptions) {
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return; // came from the server
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeUpdate(e, update);
      });
    });
    // Every struct a remote transaction integrates counts as applied at the end of that transaction.
    this.doc.on("afterTransaction", (tr: Y.Transaction) => {
      if (tr.origin !== this) return;
      const at = performance.now();
      for (const [client, after] of tr.afterState) {
        const before = tr.beforeState.get(client) ?? 0;
        for (let clock = before; clock < after; clock++) options.tracker.applied(client, clock, at);
      }
    });
  }

  /** Opens the socket and resolves once the server's state has been applied (sync step 2 received). */
  connect(): Promise<void> {
    const { baseUrl, path } = this.options;
    const ws = new WebSocket(baseUrl + path, { perMessageDeflate: false });
    ws.binaryType = "nodebuffer";
    this.ws = ws;
    ws.on("open", () => {
      if (this.options.dialect === "hocuspocus") {
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_AUTH);
          encoding.writeVarUint(e, HP_AUTH_TOKEN);
          encoding.writeVarString(e, this.options.token);
        });
      }
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(e, this.doc);
      });
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(e, this.presence());
      });
    });
    ws.on("message", (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    ws.on("close", (code, reason) => {
      if (!this.closedByUs) this.options.onError(`${this.options.name}: socket closed (${code} ${reason.toString()})`);
    });
    ws.on("error", (error) => this.options.onError(`${this.options.name}: ${error.message}`));
    ws.on("unexpected-response", (_req, res) => this.options.onError(`${this.options.name}: upgrade refused with HTTP ${res.statusCode}`));
    return this.synced;
  }

  private presence(): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, this.doc.clientID);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, JSON.stringify({ user: { name: this.options.name, color: "#3366cc" }, cursor: null }));
    return encoding.toUint8Array(e);
  }

  private send(write: (encoder: encoding.Encoder) => void): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    if (this.options.dialect === "hocuspocus") encoding.writeVarString(e, this.options.docName);
    write(e);
    ws.send(encoding.toUint8Array(e));
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    if (this.options.dialect === "hocuspocus") decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
      case HP_SYNC_REPLY: {
        const reply = encoding.createEncoder();
        if (this.options.dialect === "hocuspocus") encoding.writeVarString(reply, this.options.docName);
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        const before = encoding.length(reply);
        const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
        if (encoding.length(reply) > before) this.ws?.send(encoding.toUint8Array(reply));
        if (step === syncProtocol.messageYjsSyncStep2) this.resolveSynced?.();
        return;
      }
      case MESSAGE_AUTH: {
        const auth = decoding.readVarUint(decoder);
        // y-protocols/auth (ours): 0 = permission denied. Hocuspocus: 1 = permission denied, 2 = authenticated.
        const denied = this.options.dialect === "hocuspocus" ? auth === HP_AUTH_PERMISSION_DENIED : auth === 0;
        if (denied) this.options.onError(`${this.options.name}: permission denied: ${decoding.readVarString(decoder)}`);
        return;
      }
      case HP_CLOSE:
        if (this.options.dialect === "hocuspocus") this.options.onError(`${this.options.name}: closed by the server`);
        return;
      default:
        // Awareness, SyncStatus acks and the like: not needed to measure document fan-out.
        return;
    }
  }

  private readonly rand = seededRandom(Math.floor(Math.random() * 2 ** 32));
  /** Review room: the text still to type into the rationale. */
  private typed = "";

  private get isReview(): boolean {
    return this.options.room === "review";
  }

  /** The paragraph text every client types into. */
  private text(): Y.XmlText | undefined {
    const paragraph = this.doc.getXmlFragment(FRAGMENT).get(0);
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
    return text instanceof Y.XmlText ? text : undefined;
  }

  /**
   * The paragraph's current content (to check that every client of a room ends up the same); in a
   * review room, every claim's rationale and last change.
   */
  content(): string {
    if (this.isReview) {
      const threads = threadsMap(this.doc);
      return [...threads.keys()]
        .sort()
        .map((id) => {
          const claim = threads.get(id)?.get("claim");
          return claim instanceof Y.Map ? `${id}:${String(claim.get("updatedAt"))}:${String(claim.get("rationale"))}` : id;
        })
        .join("\n");
    }
    return this.text()?.toString() ?? "";
  }

  /** True once the article's paragraph (review room: its threads) is here. */
  hasArticle(): boolean {
    if (this.isReview) return threadsMap(this.doc).size > 0;
    return this.text() !== undefined;
  }

  /**
   * Writes the article's paragraph, as our server seeds it from the stored article (a `paragraph`
   * XmlElement holding one XmlText), or `seed` (a base64 Yjs update) when the room spec has one.
   * Used for the servers that start with empty documents.
   */
  seedArticle(seed?: string): void {
    if (seed) {
      Y.applyUpdate(this.doc, Buffer.from(seed, "base64"));
      return;
    }
    this.doc.transact(() => {
      const paragraph = new Y.XmlElement("paragraph");
      this.doc.getXmlFragment(FRAGMENT).insert(0, [paragraph]);
      paragraph.insert(0, [new Y.XmlText(SEED_TEXT)]);
    });
  }

  /** Starts this editor's caret at a random place in the paragraph. */
  placeCursor(): void {
    this.cursor = Math.floor(Math.random() * ((this.text()?.length ?? 0) + 1));
  }

  /** Types one character at this editor's caret (review room: grows its claim's rationale). */
  type(): void {
    if (this.isReview) return this.typeRationale();
    const text = this.text();
    if (!text) return;
    const index = Math.min(this.cursor, text.length);
    this.options.tracker.willSend(this.doc.clientID, Y.getState(this.doc.store, this.doc.clientID), this.options.peers());
    text.insert(index, String.fromCharCode(97 + (index % 26)));
    this.cursor = index + 1;
  }

  private typeRationale(): void {
    const { claimId, userId } = this.options;
    const claim = claimId ? threadsMap(this.doc).get(claimId)?.get("claim") : undefined;
    if (!claimId || !userId || !(claim instanceof Y.Map)) return;
    // One to four characters more each time (a person typing, sent a few times a second), well
    // inside the 10,000-character limit.
    if (this.typed.length < 8) this.typed += ` ${prose(this.rand, 40)}`;
    const chunk = this.typed.slice(0, 1 + Math.floor(this.rand() * 4));
    this.typed = this.typed.slice(chunk.length);
    const current = String(claim.get("rationale") ?? "");
    const rationale = current.length > 9_000 ? chunk : current + chunk;
    this.options.tracker.willSend(this.doc.clientID, Y.getState(this.doc.store, this.doc.clientID), this.options.peers());
    updateClaim(this.doc, claimId, { by: userId, patch: { rationale } });
  }

  close(): void {
    this.closedByUs = true;
    this.ws?.close();
    this.doc.destroy();
  }
}
