import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import postgres from "postgres";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { openDatabase, type Database } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { createArticle } from "@/db/queries/articles";
import { loadRoom } from "@/db/queries/documents";
import { addMember } from "@/db/queries/members";
import { createTeam } from "@/db/queries/teams";
import { createUser } from "@/db/queries/users";
import { resetEnv } from "@/lib/env";
import { mintTicket } from "@/lib/tickets";
import { bodyFragment, bodyToJson } from "@/model/article-doc";
import { docToPlainText, plainTextToDoc } from "@/model/editor-extensions";
import { COLLAB_PATH } from "@/model/rooms";
import { freePort, seededRandom } from "../tests/support/ports";

// `npm run soak`: the collaboration server as it runs in production (`server/collab-main.ts`, a child
// process of this one) under a steady load for a long time: SOAK_CLIENTS clients spread over
// SOAK_ARTICLES articles, each typing SOAK_EDITS_PER_SECOND edits a second for SOAK_MINUTES. An edit
// is a unique token, typed as a person types: one after another at the client's own cursor, which
// starts at a random place. (Tokens scattered at random places, as the fault tests type them, split
// the document's items on every edit, so the documents themselves would grow by ~600 B an edit and
// hide whatever the server itself keeps.) The server's memory is sampled every SOAK_SAMPLE_SECONDS after forced
// collections (over IPC: FACTDESK_MEMORY_PROBE=1 and --expose-gc). At the end every room must have
// converged, the stored state of every room must equal its clients', every edit must be in it, and
// the heap used must have grown by less than 10 % over the last 5 minutes (over the last half of a
// run shorter than 10 minutes). Exits non-zero otherwise.
//
// Environment (all optional):
//   SOAK_MINUTES            how long the clients type (default 10)
//   SOAK_CLIENTS            clients in all (default 50)
//   SOAK_ARTICLES           articles they are spread over (default 10)
//   SOAK_EDITS_PER_SECOND   edits per client per second (default 1)
//   SOAK_SAMPLE_SECONDS     seconds between memory samples (default 30)
//   SOAK_DATABASE_URL / BENCH_DATABASE_URL  an admin URL of a PostgreSQL server: the soak runs on a fresh
//                           `factdesk_soak_<hex>` database there (dropped afterwards); otherwise on an
//                           in-memory embedded PGlite served from this process
//   SOAK_RESULTS_FILE       where the raw figures go (default bench/results/soak-latest.json)

const MINUTES = positive(process.env.SOAK_MINUTES, 10);
const CLIENTS = Math.floor(positive(process.env.SOAK_CLIENTS, 50));
const ARTICLES = Math.floor(positive(process.env.SOAK_ARTICLES, 10));
const EDITS_PER_SECOND = positive(process.env.SOAK_EDITS_PER_SECOND, 1);
const SAMPLE_SECONDS = positive(process.env.SOAK_SAMPLE_SECONDS, 30);
const RESULTS_FILE = process.env.SOAK_RESULTS_FILE ?? "bench/results/soak-latest.json";
/** The memory criterion: growth of the heap used (after full collections) over the closing window. */
const MAX_GROWTH = 0.1;
const GROWTH_WINDOW_S = Math.min(300, (MINUTES * 60) / 2);
const CONVERGE_TIMEOUT_MS = 120_000;
const ARTICLE_TEXT = [
  "The council said on Tuesday that the new bridge would open in the spring.",
  "Its cost has risen from 40 million to 65 million since the plans were approved.",
  "Residents were told that traffic on the old road would fall by half.",
].join("\n\n");
const TOKEN = /\[c\d+e\d+\]/g;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}


// ---------------------------------------------------------------------------------------------------
// The database and the server
// ---------------------------------------------------------------------------------------------------

interface SoakDatabase {
  url: string;
  embedded: boolean;
  description: string;
  /** Stops the embedded database or drops the soak's database. */
  drop(): Promise<void>;
}

async function openSoakDatabase(): Promise<SoakDatabase> {
  const adminUrl = process.env.SOAK_DATABASE_URL ?? process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, embedded: true, description: "embedded PGlite, in memory, served from the harness process", drop: embedded.stop };
  }
  const name = `factdesk_soak_${randomBytes(6).toString("hex")}`;
  const admin = () => postgres(adminUrl, { max: 1, onnotice: () => {} });
  const creator = admin();
  try {
    await creator.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await creator.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    description: `PostgreSQL (${url.host}, database ${name})`,
    drop: async () => {
      const dropper = admin();
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** `server/collab-main.ts` as a child with an IPC channel for memory samples. */
class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly exited: Promise<number | string>,
  ) {}

  static async start(env: Record<string, string>): Promise<ServerChild> {
    const port = await freePort();
    const child = fork(path.resolve("server/collab-main.ts"), [], {
      execArgv: ["--expose-gc", "--import", "tsx"],
      env: { ...process.env, ...env, NODE_ENV: "production", COLLAB_PORT: String(port), HOST: "127.0.0.1", FACTDESK_MEMORY_PROBE: "1" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
    const server = new ServerChild(child, port, exited);
    let gone: number | string | undefined;
    void exited.then((code) => (gone = code));
    await waitFor("the collaboration server's /health", 60_000, async () => {
      if (gone !== undefined) throw new Error(`the collaboration server exited (${gone}) before it was ready`);
      return (await server.healthStatus().catch(() => 0)) === 200;
    });
    return server;
  }

  healthStatus(): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: this.port, path: "/health", timeout: 5_000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.end();
    });
  }

  /** Memory after full collections in the server. */
  memory(): Promise<MemorySample> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no memory sample within 30 s")), 30_000);
      const onMessage = (message: { type?: string } & MemorySample) => {
        if (message?.type !== "memory") return;
        clearTimeout(timer);
        this.child.off("message", onMessage);
        resolve({ rss: message.rss, heapUsed: message.heapUsed, heapTotal: message.heapTotal, external: message.external, arrayBuffers: message.arrayBuffers });
      };
      this.child.on("message", onMessage);
      this.child.send("memory");
    });
  }

  /** SIGTERM, as an orchestrator stops it: the server writes everything and exits. */
  async stop(): Promise<number | string> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill("SIGTERM");
    const late = sleep(60_000).then(() => "did not exit within 60 s after SIGTERM");
    const result = await Promise.race([this.exited, late]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    return result;
  }
}

// ---------------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------------

function bodyText(doc: Y.Doc): string {
  return docToPlainText(bodyToJson(doc));
}

function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  const va = Y.encodeStateVector(a);
  const vb = Y.encodeStateVector(b);
  return Buffer.from(va).equals(Buffer.from(vb));
}


/** A random place in a random paragraph that is not inside a token: where a client starts typing. */
function startingPoint(doc: Y.Doc, random: () => number): { text: Y.XmlText; index: number } {
  const paragraphs = bodyFragment(doc)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement);
  const paragraph = paragraphs[Math.floor(random() * paragraphs.length)];
  const text = paragraph?.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
  if (!text) throw new Error("the article has no paragraph to type into");
  const plain = text.toString();
  const boundaries = [0];
  let depth = 0;
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === "[") depth++;
    else if (plain[i] === "]") depth--;
    if (depth === 0) boundaries.push(i + 1);
  }
  return { text, index: boundaries[Math.floor(random() * boundaries.length)] ?? 0 };
}

interface Desk {
  users: { id: string; name: string }[];
  articleIds: string[];
}

/** One desk: one editor per client slot of an article (client i of every article is user i). */
async function createDesk(db: Database): Promise<Desk> {
  const run = randomBytes(3).toString("hex");
  const perArticle = Math.ceil(CLIENTS / ARTICLES);
  const users = [];
  for (let i = 0; i < perArticle; i++) {
    users.push(await createUser(db, { email: `soak-${run}-${i}@example.test`, name: `Soak editor ${i}`, passwordHash: null }));
  }
  const owner = users[0]!;
  const team = await createTeam(db, { name: `Soak desk ${run}`, ownerId: owner.id });
  for (const user of users.slice(1)) await addMember(db, { teamId: team.id, userId: user.id, role: "editor" });
  const articleIds = [];
  for (let a = 0; a < ARTICLES; a++) {
    const article = await createArticle(db, { teamId: team.id, createdBy: owner.id, article: { title: `Soak article ${a}`, content: plainTextToDoc(ARTICLE_TEXT) } });
    articleIds.push(article.id);
  }
  return { users: users.map((u) => ({ id: u.id, name: u.name })), articleIds };
}

class SoakClient {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly made: string[] = [];
  closes = 0;
  private timer: NodeJS.Timeout | undefined;
  private start: NodeJS.Timeout | undefined;
  private readonly random: () => number;
  /** Just after the last token this client typed, wherever others have typed since. */
  private cursor: Y.RelativePosition | undefined;

  constructor(
    readonly index: number,
    readonly articleId: string,
    private readonly user: { id: string; name: string },
    serverUrl: string,
    firstTicket: string,
  ) {
    this.random = seededRandom(index + 1);
    this.provider = new WebsocketProvider(serverUrl, `${articleId}/body`, this.doc, {
      disableBc: true,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { ticket: firstTicket },
    });
    // Tickets live a minute: a reconnect needs a fresh one, fetched as the browser does.
    this.provider.on("connection-close", () => {
      this.closes++;
      void this.ticket().then((ticket) => (this.provider.params = { ticket }));
    });
  }

  ticket(): Promise<string> {
    return mintTicket({ sub: this.user.id, articleId: this.articleId, role: "editor", name: this.user.name }).then((t) => t.ticket);
  }

  /** Types one token every `everyMs`, starting at a random point of the first interval. */
  type(everyMs: number): void {
    this.start = setTimeout(() => {
      this.timer = setInterval(() => this.typeToken(), everyMs);
    }, this.random() * everyMs);
  }

  /**
   * Types the next token where this client's cursor is, as a person types: one after the other at a
   * cursor that others' edits move but do not break (a relative position after the last token).
   */
  private typeToken(): void {
    const token = `[c${this.index}e${this.made.length}]`;
    const resolved = this.cursor && Y.createAbsolutePositionFromRelativePosition(this.cursor, this.doc);
    const at = resolved?.type instanceof Y.XmlText ? { text: resolved.type, index: resolved.index } : startingPoint(this.doc, this.random);
    at.text.insert(at.index, token);
    this.cursor = Y.createRelativePositionFromTypeIndex(at.text, at.index + token.length, -1);
    this.made.push(token);
  }

  stopTyping(): void {
    clearTimeout(this.start);
    clearInterval(this.timer);
  }

  text(): string {
    return bodyText(this.doc);
  }
}

// ---------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------

interface Sample extends MemorySample {
  atSeconds: number;
  edits: number;
}

interface Verdict {
  converged: boolean;
  storedEqualsClients: boolean;
  editsStored: number;
  editsMade: number;
  heapGrowth: number;
  rssGrowth: number;
  disconnects: number;
  serverExit: number | string;
  problems: string[];
}

async function storedDoc(db: Database, articleId: string): Promise<Y.Doc> {
  const stored = await loadRoom(db, { articleId, room: "body" });
  const doc = new Y.Doc();
  if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

function printTable(samples: Sample[]): void {
  console.log("\n| t (min) | edits so far | heap used (MiB) | RSS (MiB) | external (MiB) |");
  console.log("| ---: | ---: | ---: | ---: | ---: |");
  for (const s of samples) {
    console.log(`| ${(s.atSeconds / 60).toFixed(1)} | ${s.edits.toLocaleString("en")} | ${mib(s.heapUsed)} | ${mib(s.rss)} | ${mib(s.external)} |`);
  }
}

/** Growth of `pick` between the sample `windowS` before the last one and the last one. */
function growth(samples: Sample[], windowS: number, pick: (s: Sample) => number): { from: Sample; to: Sample; ratio: number } {
  const to = samples.at(-1)!;
  const from = [...samples].reverse().find((s) => s.atSeconds <= to.atSeconds - windowS + 1) ?? samples[0]!;
  return { from, to, ratio: (pick(to) - pick(from)) / pick(from) };
}

async function main(): Promise<number> {
  // Every y-websocket provider in Node adds a process "exit" listener.
  process.setMaxListeners(CLIENTS + 10);
  const database = await openSoakDatabase();
  const secret = randomBytes(32).toString("base64url");
  process.env.NEXTAUTH_SECRET = secret;
  process.env.LOG_LEVEL ??= "warn";
  resetEnv();
  let server: ServerChild | undefined;
  const clients: SoakClient[] = [];
  try {
    // Set up, then leave the database to the server: the embedded one serves a single session.
    const setup = openDatabase(database.url, { embedded: database.embedded, max: 2 });
    await runMigrations(setup.db);
    const desk = await createDesk(setup.db);
    await setup.close();

    server = await ServerChild.start({ DATABASE_URL: database.url, FACTDESK_EMBEDDED_DB: database.embedded ? "1" : "0", NEXTAUTH_SECRET: secret, LOG_LEVEL: process.env.SOAK_SERVER_LOG_LEVEL ?? "warn" });
    const serverUrl = `ws://127.0.0.1:${server.port}${COLLAB_PATH}`;
    console.log(
      `Soak: ${CLIENTS} clients over ${ARTICLES} articles, ${EDITS_PER_SECOND} edit/s each, for ${MINUTES} min; ` +
        `memory every ${SAMPLE_SECONDS} s; server: server/collab-main.ts on ${database.description}`,
    );
    for (let i = 0; i < CLIENTS; i++) {
      const articleId = desk.articleIds[i % ARTICLES]!;
      const user = desk.users[Math.floor(i / ARTICLES) % desk.users.length]!;
      const ticket = (await mintTicket({ sub: user.id, articleId, role: "editor", name: user.name })).ticket;
      clients.push(new SoakClient(i, articleId, user, serverUrl, ticket));
    }
    await waitFor("every client synced", 60_000, () => clients.every((c) => c.provider.synced));

    const editsMade = () => clients.reduce((sum, c) => sum + c.made.length, 0);
    const samples: Sample[] = [];
    const started = Date.now();
    const sample = async () => {
      const memory = await server!.memory();
      const s = { atSeconds: Math.round((Date.now() - started) / 1000), edits: editsMade(), ...memory };
      samples.push(s);
      console.log(`  ${(s.atSeconds / 60).toFixed(1)} min: ${s.edits} edits, heap ${mib(s.heapUsed)} MiB, RSS ${mib(s.rss)} MiB`);
    };
    await sample();
    for (const client of clients) client.type(1000 / EDITS_PER_SECOND);
    const end = started + MINUTES * 60_000;
    for (let next = started + SAMPLE_SECONDS * 1000; next < end; next += SAMPLE_SECONDS * 1000) {
      await sleep(next - Date.now());
      await sample();
    }
    await sleep(Math.max(0, end - Date.now()));
    await sample();
    for (const client of clients) client.stopTyping();
    const typedSeconds = (Date.now() - started) / 1000;

    const problems: string[] = [];
    // Every room converges on every edit made in it.
    const rooms = desk.articleIds.map((articleId) => ({ articleId, clients: clients.filter((c) => c.articleId === articleId) }));
    let converged = true;
    try {
      await waitFor("every room converged", CONVERGE_TIMEOUT_MS, () =>
        rooms.every(({ clients: inRoom }) => {
          const text = inRoom[0]!.text();
          return inRoom.every((c) => c.text() === text && sameState(c.doc, inRoom[0]!.doc)) && inRoom.every((c) => c.made.every((t) => occurrences(text, t) === 1));
        }),
      );
    } catch (error) {
      converged = false;
      problems.push(error instanceof Error ? error.message : String(error));
    }
    const disconnects = clients.reduce((sum, c) => sum + c.closes, 0);
    for (const client of clients) client.provider.destroy();
    const serverExit = await server.stop();
    if (serverExit !== 0) problems.push(`the server exited with ${serverExit} after SIGTERM`);

    // What the database holds now is what a restarted server would serve.
    const check = openDatabase(database.url, { embedded: database.embedded, max: 2 });
    let storedEqualsClients = true;
    let editsStored = 0;
    try {
      for (const { articleId, clients: inRoom } of rooms) {
        const stored = await storedDoc(check.db, articleId);
        const text = bodyText(stored);
        if (text !== inRoom[0]!.text() || !sameState(stored, inRoom[0]!.doc)) {
          storedEqualsClients = false;
          problems.push(`article ${articleId}: the stored state differs from its clients'`);
        }
        for (const client of inRoom) editsStored += client.made.filter((t) => occurrences(text, t) === 1).length;
        if (text.replace(TOKEN, "") !== docToPlainText(plainTextToDoc(ARTICLE_TEXT))) problems.push(`article ${articleId}: the stored text holds more than the article and the tokens`);
      }
    } finally {
      await check.close();
    }

    const heap = growth(samples, GROWTH_WINDOW_S, (s) => s.heapUsed);
    const rss = growth(samples, GROWTH_WINDOW_S, (s) => s.rss);
    const verdict: Verdict = {
      converged,
      storedEqualsClients,
      editsStored,
      editsMade: editsMade(),
      heapGrowth: heap.ratio,
      rssGrowth: rss.ratio,
      disconnects,
      serverExit,
      problems,
    };
    if (editsStored !== verdict.editsMade) problems.push(`${verdict.editsMade - editsStored} edits are not stored`);
    if (heap.ratio >= MAX_GROWTH) problems.push(`heap used grew ${(heap.ratio * 100).toFixed(1)} % over the last ${GROWTH_WINDOW_S / 60} min (limit ${MAX_GROWTH * 100} %)`);
    if (disconnects) problems.push(`${disconnects} client disconnects`);

    printTable(samples);
    console.log(
      `\nEdits: ${verdict.editsMade.toLocaleString("en")} made in ${typedSeconds.toFixed(0)} s (${(verdict.editsMade / typedSeconds).toFixed(1)}/s), ` +
        `${editsStored.toLocaleString("en")} stored. Rooms converged: ${converged ? "yes" : "NO"}. Stored state equals the clients': ${storedEqualsClients ? "yes" : "NO"}. ` +
        `Client disconnects: ${disconnects}.`,
    );
    console.log(
      `Memory over the last ${(GROWTH_WINDOW_S / 60).toFixed(1)} min (${(heap.from.atSeconds / 60).toFixed(1)} → ${(heap.to.atSeconds / 60).toFixed(1)} min): ` +
        `heap used ${mib(heap.from.heapUsed)} → ${mib(heap.to.heapUsed)} MiB (${(heap.ratio * 100).toFixed(1)} %, limit ${MAX_GROWTH * 100} %); ` +
        `RSS ${mib(rss.from.rss)} → ${mib(rss.to.rss)} MiB (${(rss.ratio * 100).toFixed(1)} %).`,
    );
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(
      RESULTS_FILE,
      JSON.stringify({ at: new Date().toISOString(), minutes: MINUTES, clients: CLIENTS, articles: ARTICLES, editsPerSecond: EDITS_PER_SECOND, database: database.description, samples, verdict }, null, 2),
    );
    console.log(problems.length ? `\nFAIL\n- ${problems.join("\n- ")}` : "\nPASS");
    return problems.length ? 1 : 0;
  } finally {
    for (const client of clients) client.provider.destroy();
    await server?.stop();
    await database.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
