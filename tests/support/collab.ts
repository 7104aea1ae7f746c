import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort, seededRandom } from "./ports";

export { freePort, seededRandom };
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { expect, vi } from "vitest";
import WebSocket from "ws";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { Database } from "@/db/client";
import { createArticle } from "@/db/queries/articles";
import { loadRoom, type RoomRef } from "@/db/queries/documents";
import { docUpdates, type Article } from "@/db/schema";
import { mintTicket } from "@/lib/tickets";
import { bodyFragment, bodyToJson } from "@/model/article-doc";
import { docToPlainText, plainTextToDoc } from "@/model/editor-extensions";
import type { Role } from "@/model/roles";
import { COLLAB_PATH, type RoomKind } from "@/model/rooms";
import { createCollabServer, type CollabServer, type CollabServerOptions } from "@/server/collab/collab-server";

/** The audience lib/tickets.ts signs for; tests that forge tickets by hand must match it. */
export const TICKET_AUDIENCE = "factdesk-collab";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

// ---------------------------------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------------------------------

/**
 * Polls `check` until it stops throwing (use `expect` inside), for at most `timeout` ms. A bounded
 * poll, so a slow machine only waits longer; it never changes the outcome.
 */
export function eventually<T>(check: () => T | Promise<T>, timeout = 10_000, interval = 20): Promise<T> {
  return vi.waitFor(check, { timeout, interval });
}

// ---------------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------------

export interface CollabHarness {
  collab: CollabServer;
  http: Server;
  port: number;
  /** `ws://127.0.0.1:<port>/collab`, the serverUrl for a WebsocketProvider. */
  serverUrl: string;
  close(): Promise<void>;
}

/** An in-process collaboration server on a plain node http server on a free loopback port. */
export async function startCollab(options: CollabServerOptions): Promise<CollabHarness> {
  const collab = createCollabServer(options);
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  http.on("upgrade", (req, socket, head) => collab.handleUpgrade(req, socket, head));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const port = (http.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    collab,
    http,
    port,
    serverUrl: `ws://127.0.0.1:${port}${COLLAB_PATH}`,
    close: () =>
      (closed ??= (async () => {
        await collab.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })()),
  };
}


function getStatus(port: number, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: pathname, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  });
}

export interface CollabProcess {
  child: ChildProcess;
  port: number;
  serverUrl: string;
  /** What the process wrote to stderr/stdout (for failure messages). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  /**
   * Sends a signal and waits for the exit, at most `timeoutMs`; a process that outstays that is
   * killed and reported as "did not exit after <signal>".
   */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/**
 * Starts `server/collab-main.ts` as a real process, as `npm run start:collab` does, and waits until
 * it answers /health. The embedded test database is reached through its loopback URL.
 */
export async function startCollabProcess(params: { databaseUrl: string; secret: string; port: number; embedded: boolean }): Promise<CollabProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/collab-main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: params.databaseUrl,
      FACTDESK_EMBEDDED_DB: params.embedded ? "1" : "0",
      NEXTAUTH_SECRET: params.secret,
      COLLAB_PORT: String(params.port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  let exitedWith: number | string | undefined;
  void exited.then((code) => (exitedWith = code));
  const proc: CollabProcess = {
    child,
    port: params.port,
    serverUrl: `ws://127.0.0.1:${params.port}${COLLAB_PATH}`,
    output: () => output,
    exited,
    stop: async (signal, timeoutMs = 20_000) => {
      if (exitedWith !== undefined) return exitedWith;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`did not exit after ${signal}`), timeoutMs);
      });
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (exitedWith === undefined) {
        child.kill("SIGKILL");
        await exited;
      }
      return result;
    },
  };
  try {
    await eventually(async () => {
      if (exitedWith !== undefined) throw new Error(`collab process exited (${exitedWith}) before it was ready:\n${output}`);
      if ((await getStatus(params.port, "/health")) !== 200) throw new Error("not healthy yet");
    }, 45_000, 100);
  } catch (error) {
    if (exitedWith === undefined) child.kill("SIGKILL");
    throw error;
  }
  return proc;
}

// ---------------------------------------------------------------------------------------------------
// Articles, tickets, documents
// ---------------------------------------------------------------------------------------------------

/** Imports a plain-text article the way the import API stores it. */
export function createTextArticle(db: Database, params: { teamId: string; createdBy: string; title?: string; text: string }): Promise<Article> {
  return createArticle(db, {
    teamId: params.teamId,
    createdBy: params.createdBy,
    article: { title: params.title ?? "Collab article", content: plainTextToDoc(params.text) },
  });
}

export interface TicketUser {
  id: string;
  name: string;
}

/** A ticket as the app mints it (the role claim is informative; the server reads the role from the database). */
export async function ticketFor(user: TicketUser, articleId: string, role: Role = "viewer"): Promise<string> {
  return (await mintTicket({ sub: user.id, articleId, role, name: user.name })).ticket;
}

/** A ticket signed by hand, for forged (other secret) and expired (`expiresAt` in the past) tickets. */
export function signTicket(params: { user: TicketUser; articleId: string; secret: string; expiresAt: Date; role?: Role }): Promise<string> {
  return new SignJWT({ articleId: params.articleId, role: params.role ?? "editor", name: params.user.name })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(params.user.id)
    .setAudience(TICKET_AUDIENCE)
    .setIssuedAt(Math.floor(params.expiresAt.getTime() / 1000) - 60)
    .setExpirationTime(Math.floor(params.expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(params.secret));
}

/** The article text of a body document, one paragraph per block (as docToPlainText gives it). */
export function bodyText(doc: Y.Doc): string {
  return docToPlainText(bodyToJson(doc));
}

/** Inserts `text` into paragraph `index` at `offset` (both clamped), creating the text node if needed. */
export function insertIntoParagraph(doc: Y.Doc, index: number, offset: number, text: string): void {
  const fragment = bodyFragment(doc);
  doc.transact(() => {
    if (fragment.length === 0) fragment.insert(0, [new Y.XmlElement("paragraph")]);
    const paragraph = fragment.get(Math.max(0, Math.min(index, fragment.length - 1)));
    if (!(paragraph instanceof Y.XmlElement)) throw new Error("expected a paragraph element");
    let xmlText = paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
    if (!xmlText) {
      xmlText = new Y.XmlText();
      paragraph.insert(0, [xmlText]);
    }
    xmlText.insert(Math.max(0, Math.min(offset, xmlText.length)), text);
  });
}

/** Appends a new paragraph holding `text` to the body. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const fragment = bodyFragment(doc);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

/** Rebuilds a room from what is stored: the newest checkpoint plus the log after it, into a fresh doc. */
export async function storedDoc(db: Database, ref: RoomRef): Promise<Y.Doc> {
  const stored = await loadRoom(db, ref);
  const doc = new Y.Doc();
  if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

/** The user ids of a room's log rows, oldest first (null is the server, e.g. the seed). */
export async function logAuthors(db: Database, ref: RoomRef): Promise<(string | null)[]> {
  const rows = await db
    .select({ userId: docUpdates.userId })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, ref.articleId), eq(docUpdates.room, ref.room)))
    .orderBy(docUpdates.id);
  return rows.map((r) => r.userId);
}

// ---------------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------------

export interface CloseRecord {
  code: number;
  reason: string;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  user: TicketUser;
  /** Every close the provider saw (null events, i.e. local closes, are left out). */
  closes: CloseRecord[];
  /** Reasons of the permission-denied (auth, message type 2) messages received. */
  denied: string[];
  /** Every ticket this client has connected with, first one first. */
  tickets: string[];
  text(): string;
  destroy(): void;
}

export interface ClientOptions {
  serverUrl: string;
  articleId: string;
  room?: RoomKind;
  user: TicketUser;
  role?: Role;
  /** Mints a ticket; defaults to ticketFor(user, articleId, role). Called before every (re)connect. */
  mint?: () => Promise<string>;
  /** Wait for the first sync (default true). */
  waitForSync?: boolean;
  doc?: Y.Doc;
}

const WebSocketPolyfill = WebSocket as unknown as typeof globalThis.WebSocket;

/**
 * A real y-websocket client in Node. It fetches a fresh ticket after every close, so that its
 * automatic reconnects carry a valid one, and records closes and permission-denied messages.
 */
export async function connectClient(options: ClientOptions): Promise<TestClient> {
  const room = options.room ?? "body";
  const mint = options.mint ?? (() => ticketFor(options.user, options.articleId, options.role));
  const doc = options.doc ?? new Y.Doc();
  const first = await mint();
  const provider = new WebsocketProvider(options.serverUrl, `${options.articleId}/${room}`, doc, {
    connect: false,
    disableBc: true,
    WebSocketPolyfill,
    params: { ticket: first },
    maxBackoffTime: 400,
  });
  let destroyed = false;
  const client: TestClient = {
    doc,
    provider,
    user: options.user,
    closes: [],
    denied: [],
    tickets: [],
    text: () => (room === "body" ? bodyText(doc) : JSON.stringify(doc.getMap("threads").toJSON())),
    destroy: () => {
      destroyed = true;
      provider.destroy();
    },
  };
  provider.on("status", ({ status }) => {
    if (status === "connecting") client.tickets.push(provider.params.ticket ?? "");
  });
  provider.on("connection-close", (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason });
    if (destroyed) return;
    // The ticket lives 60 s at most: fetch a new one before the provider's reconnect timer fires.
    mint().then(
      (ticket) => (provider.params = { ticket }),
      () => {},
    );
  });
  // y-protocols' auth message: [2, 0 (permission denied), reason]. The stock handler only logs it.
  provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) client.denied.push(decoding.readVarString(decoder));
  };
  provider.connect();
  if (options.waitForSync !== false) await eventually(() => {
    if (!provider.synced) throw new Error(`client for ${options.user.name} has not synced (closes: ${JSON.stringify(client.closes)})`);
  });
  return client;
}

/** A raw websocket to a room, for frames and upgrades no well-behaved client sends. */
export function rawSocket(serverUrl: string, articleId: string, room: string, ticket?: string, options?: WebSocket.ClientOptions): WebSocket {
  const query = ticket === undefined ? "" : `?ticket=${encodeURIComponent(ticket)}`;
  return new WebSocket(`${serverUrl}/${articleId}/${room}${query}`, options);
}

/** An HTTP response's body: parsed JSON, or the text when it is not JSON. */
export async function readBody(res: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of res) text += (chunk as Buffer).toString();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Opens a raw socket and reports how the upgrade went: "open", or the HTTP status and JSON body of a refusal. */
export function tryUpgrade(
  serverUrl: string,
  articleId: string,
  room: string,
  ticket?: string,
): Promise<{ status: number | "open"; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = rawSocket(serverUrl, articleId, room, ticket);
    ws.on("open", () => {
      ws.close();
      resolve({ status: "open", body: null });
    });
    ws.on("unexpected-response", (_req, res) => {
      readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
    });
    ws.on("error", (error) => {
      // After an unexpected response ws aborts the request; that error is expected.
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** Waits until a raw socket is open and the server has spoken to it (so its room is loaded). */
export async function openedRaw(ws: WebSocket): Promise<Uint8Array[]> {
  const received: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => received.push(new Uint8Array(data)));
  if (ws.readyState !== WebSocket.OPEN) await once(ws, "open");
  await eventually(() => {
    if (!received.length) throw new Error("the server has not sent anything yet");
  });
  return received;
}

/** Resolves with the close code and reason of a raw socket; rejects if it is still open after `timeoutMs`. */
export function closeOf(ws: WebSocket, timeoutMs = 10_000): Promise<CloseRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not close the socket within ${timeoutMs} ms`)), timeoutMs);
    ws.once("close", (code: number, reason: Buffer) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** A y-websocket sync "update" frame carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  encoding.writeVarUint(encoder, 2); // messageYjsUpdate
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Destroys clients, ignoring ones that were never made. */
export function destroyAll(...clients: (TestClient | undefined)[]): void {
  for (const client of clients) client?.destroy();
}

// ---------------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------------


function plain(xmlText: Y.XmlText): string {
  return xmlText
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === "string" ? op.insert : ""))
    .join("");
}

/**
 * Inserts `token` (which must look like `[...]`) at a random place in a random paragraph, never
 * inside another token, so that every token can be found whole in the converged text.
 */
export function insertToken(doc: Y.Doc, token: string, random: () => number): void {
  const fragment = bodyFragment(doc);
  const index = Math.floor(random() * Math.max(1, fragment.length));
  const paragraph = fragment.length ? fragment.get(index) : undefined;
  const xmlText = paragraph instanceof Y.XmlElement ? paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText) : undefined;
  const text = xmlText ? plain(xmlText) : "";
  const boundaries = [0];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]") depth--;
    if (depth === 0) boundaries.push(i + 1);
  }
  insertIntoParagraph(doc, index, boundaries[Math.floor(random() * boundaries.length)] ?? 0, token);
}

/**
 * Has `writer` type tokens (`[<prefix><n>]`) one at a time until the server refuses one by closing the
 * connection, or `max` were typed. Each token is either relayed to `reader` or refused, nothing in
 * between; returns the tokens relayed and the one refused (undefined when none was).
 */
export async function typeUntilRefused(params: { writer: TestClient; reader: TestClient; prefix: string; max: number; seed: number }): Promise<{ accepted: string[]; refused?: string }> {
  const { writer, reader } = params;
  const random = seededRandom(params.seed);
  const accepted: string[] = [];
  for (let i = 0; i < params.max; i++) {
    const token = `[${params.prefix}${i}]`;
    insertToken(writer.doc, token, random);
    await eventually(() => expect(occurrences(reader.text(), token) === 1 || writer.closes.length > 0).toBe(true));
    if (writer.closes.length) return { accepted, refused: token };
    accepted.push(token);
  }
  return { accepted };
}

/** How often `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Two docs hold the same content (same state vector and the same encoded state). */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  const va = Y.decodeStateVector(Y.encodeStateVector(a));
  const vb = Y.decodeStateVector(Y.encodeStateVector(b));
  if (va.size !== vb.size) return false;
  for (const [client, clock] of va) if (vb.get(client) !== clock) return false;
  return true;
}
