import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import type { RoomRef } from "@/db/queries/documents";
import { logger } from "@/lib/logger";
import { bodyFragment } from "@/model/article-doc";
import { CLOSE_CODES } from "@/model/close-codes";
import type { Role } from "@/model/roles";
import type { RoomKind } from "@/model/rooms";
import { Connection } from "@/server/collab/connection";
import { encodeAwarenessEntries } from "@/server/collab/protocol";
import type { Room } from "@/server/collab/room";
import { createDesk, createUser, setRole, uniqueEmail, type TestDesk, type TestUser } from "../../support/api";
import {
  bodyText,
  closeOf,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertIntoParagraph,
  rawSocket,
  sameState,
  seededRandom,
  startCollab,
  storedDoc,
  ticketFor,
  updateFrame,
  type CloseRecord,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { awarenessFrame, burstArbitrary, burstAt, stateVectorsFor, syncFrame, updatesFor, type FrameKind, type FrameMaterial } from "../../support/frame-fuzz";
import { CLAIM_PHRASE, SAMPLE_PARAGRAPHS } from "../../support/review";
import { useTestApp } from "../../support/test-database";

/**
 * Fuzzing the collaboration server: thousands of random and mutated frames from attackers holding
 * valid tickets, while well-behaved clients work on. Replay a failure with FACTDESK_FUZZ_SEED=<seed>.
 */

const app = useTestApp();

const SEED = Number(process.env.FACTDESK_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Frames that must reach a connection the server still had open (the requirement is 10,000). */
const TARGET_FRAMES = 10_000;
const WARM_UP_FRAMES = 1_000;
/** How long one burst may go without its pong or a close before the server counts as hung. */
const BURST_TIMEOUT_MS = 15_000;
const ALLOWED_CLOSE_CODES = new Set<number>(Object.values(CLOSE_CODES));

// Collected from the start of the file, so that anything the server throws outside a request fails the run.
const processErrors: unknown[] = [];
const onProcessError = (error: unknown) => processErrors.push(error);

/** A garbage collector, so heap measurements see live objects only (no --expose-gc needed on the command line). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
}

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

let desk: TestDesk;
let server: CollabHarness;
const attackers = {} as Record<"editor" | "checker" | "commenter" | "viewer", TestUser>;

beforeAll(async () => {
  process.on("uncaughtException", onProcessError);
  process.on("unhandledRejection", onProcessError);
  desk = await createDesk(app, "Fuzz Desk");
  for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
    attackers[role] = await createUser(app, { name: `Attacker ${role}`, email: uniqueEmail(`attacker-${role}`) });
    await setRole(app.db, { teamId: desk.team.id, userId: attackers[role].id, role });
  }
  // Rooms unload soon after their last client leaves, so the heap can be measured without the attacked ones.
  server = await startCollab({ db: app.db, idleUnloadMs: 300 });
});

afterAll(async () => {
  await server?.close();
  process.off("uncaughtException", onProcessError);
  process.off("unhandledRejection", onProcessError);
});

interface Lane {
  name: string;
  ref: RoomRef;
  user: TestUser;
  role: Role;
  material: FrameMaterial;
  ownIds: number[];
  seed: number;
}

interface LaneStats {
  sent: number;
  bursts: number;
  connections: number;
  byKind: Partial<Record<FrameKind, number>>;
  closes: CloseRecord[];
}

/** Opens an attacker socket and waits until the server has spoken (its room is loaded, frames go straight in). */
async function openAttacker(lane: Pick<Lane, "name" | "ref" | "user" | "role">): Promise<WebSocket> {
  const ws = rawSocket(server.serverUrl, lane.ref.articleId, lane.ref.room, await ticketFor(lane.user, lane.ref.articleId, lane.role));
  await new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`${lane.name}: the upgrade was refused with ${res.statusCode}`)));
  });
  return ws;
}

/** The socket's close, whenever it comes. */
function closeRecord(ws: WebSocket): Promise<CloseRecord> {
  return new Promise((resolve) => ws.once("close", (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
}

/** Pings and waits for the pong or the close: false if neither comes within BURST_TIMEOUT_MS. */
function pongOrClose(ws: WebSocket): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      ws.off("pong", onAnswer);
      ws.off("close", onAnswer);
      resolve(answered);
    };
    const onAnswer = () => finish(true);
    const timer = setTimeout(() => finish(false), BURST_TIMEOUT_MS);
    ws.on("pong", onAnswer);
    ws.on("close", onAnswer);
    ws.ping();
  });
}

/**
 * Sends bursts of fuzz frames on one lane until `done()`: each burst back to back, then a ping. The
 * server handles frames in order, so the pong means it has handled the whole burst; a close means a
 * frame ended the connection, and the lane reconnects with a fresh ticket.
 */
async function runLane(lane: Lane, seed: number, done: () => boolean): Promise<LaneStats> {
  const stats: LaneStats = { sent: 0, bursts: 0, connections: 0, byKind: {}, closes: [] };
  const arbitrary = burstArbitrary(lane.material, lane.ownIds);
  while (!done()) {
    const ws = await openAttacker(lane);
    stats.connections++;
    const closed = closeRecord(ws);
    let open = true;
    void closed.then(() => (open = false));
    while (open && !done()) {
      const frames = burstAt(arbitrary, seed, stats.bursts++);
      for (const frame of frames) {
        ws.send(frame.data);
        stats.sent++;
        stats.byKind[frame.kind] = (stats.byKind[frame.kind] ?? 0) + 1;
      }
      if (!open) break;
      if (!(await pongOrClose(ws))) throw new Error(`${lane.name}: burst ${stats.bursts - 1} (seed ${SEED}) got neither a pong nor a close`);
    }
    if (open) {
      ws.close(1000, "fuzzing done");
      await closed;
    } else {
      stats.closes.push(await closed);
    }
  }
  return stats;
}

function loadedRoom(ref: RoomRef): Room {
  const room = server.collab.registry.find(ref);
  if (!room) throw new Error(`room ${ref.room} of ${ref.articleId} is not loaded`);
  return room;
}

function reviewJson(doc: Y.Doc): unknown {
  return doc.getMap("threads").toJSON();
}

/** What a room's document shows to people: the body text, the review threads, the summary. */
function contentOf(kind: RoomKind, doc: Y.Doc): unknown {
  if (kind === "body") return bodyText(doc);
  if (kind === "review") return reviewJson(doc);
  return { text: bodyText(doc), verdict: doc.getMap("verdict").toJSON() };
}

/** The article nobody may change (A) and the attacked one (B), with their well-behaved clients. */
interface Scene {
  aBody: RoomRef;
  bRef: (room: RoomKind) => RoomRef;
  /** A's body text before the attack. */
  originalA: string;
  aClients: TestClient[];
  aUsers: TestUser[];
  /** B's editor (typing), a viewer in each room and a latecomer; in a map so they can be let go before the heap is measured. */
  b: Map<BClient, TestClient>;
  lanes: Lane[];
  /** Tokens each editor typed during the attack. */
  typed: number;
}

type BClient = "editor" | RoomKind | "late";

const bClient = (scene: Scene, name: BClient): TestClient => scene.b.get(name)!;

/** Each room's well-behaved clients (the latecomer aside): who is present there, and nobody else. */
function wellBehavedRooms(scene: Scene): [name: string, ref: RoomRef, clients: TestClient[]][] {
  return [
    ["A body", scene.aBody, scene.aClients],
    ["B body", scene.bRef("body"), [bClient(scene, "editor"), bClient(scene, "body")]],
    ["B review", scene.bRef("review"), [bClient(scene, "review")]],
    ["B summary", scene.bRef("summary"), [bClient(scene, "summary")]],
  ];
}

/** The articles, the well-behaved clients, and seven attacker lanes with the material for their frames. */
async function setUp(connect: (ref: RoomRef, user: TestUser) => Promise<TestClient>): Promise<Scene> {
  const random = seededRandom(SEED);
  const text = SAMPLE_PARAGRAPHS.join("\n\n");
  const quiet = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, title: "Untouched", text });
  const target = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, title: "Attacked", text });
  const aBody: RoomRef = { articleId: quiet.id, room: "body" };
  const bRef = (room: RoomKind): RoomRef => ({ articleId: target.id, room });
  // A: an editor, a checker and a viewer on the body. Only read-only attackers come here.
  const aUsers = [desk.users.editor, desk.users.checker, desk.users.viewer];
  const aClients: TestClient[] = [];
  for (const user of aUsers) aClients.push(await connect(aBody, user));
  // B: writers attack every room, while an editor types and viewers watch.
  const b = new Map<BClient, TestClient>([["editor", await connect(bRef("body"), desk.users.owner)]]);
  for (const kind of ["body", "review", "summary"] as const) b.set(kind, await connect(bRef(kind), desk.users.viewer));

  const materialFor = (ref: RoomRef, actor: TestUser, foreign: TestClient[]): FrameMaterial => {
    const room = loadedRoom(ref);
    return {
      updates: updatesFor({ kind: ref.room, state: Y.encodeStateAsUpdate(room.doc), body: loadedRoom({ ...ref, room: "body" }).doc, actorId: actor.id, phrase: CLAIM_PHRASE, random }),
      stateVectors: stateVectorsFor(room.doc),
      foreignClientIds: foreign.map((c) => c.doc.clientID),
    };
  };
  const lane = (name: string, ref: RoomRef, role: keyof typeof attackers, foreign: TestClient[], index: number): Lane => ({
    name,
    ref,
    user: attackers[role],
    role,
    material: materialFor(ref, attackers[role], foreign),
    ownIds: Array.from({ length: 6 }, () => 1 + Math.floor(random() * 0x7ffffff0)),
    seed: (SEED + index * 7919) | 0,
  });
  const bWatcher = (kind: RoomKind) => [b.get(kind)!];
  const lanes = [
    lane("A body / viewer", aBody, "viewer", aClients, 0),
    lane("A body / commenter", aBody, "commenter", aClients, 1),
    lane("B body / editor 1", bRef("body"), "editor", [b.get("editor")!, b.get("body")!], 2),
    lane("B body / editor 2", bRef("body"), "editor", [b.get("editor")!, b.get("body")!], 3),
    lane("B review / editor", bRef("review"), "editor", bWatcher("review"), 4),
    lane("B review / checker", bRef("review"), "checker", bWatcher("review"), 5),
    lane("B summary / editor", bRef("summary"), "editor", bWatcher("summary"), 6),
  ];
  const originalA = aClients[0]!.text();
  expect(originalA).toBe(bodyText(loadedRoom(aBody).doc));
  const scene: Scene = { aBody, bRef, originalA, aClients, aUsers, b, lanes, typed: 0 };
  // Present before the attack, as in the app, whose caret sets the user's presence on joining: a
  // y-protocols client otherwise sits at clock 0, which awareness never applies for a newcomer, and
  // shows up only at its first renewal, 15 s later.
  for (const [, , clients] of wellBehavedRooms(scene)) for (const client of clients) client.provider.awareness.setLocalStateField("cursor", null);
  await eventually(() => {
    for (const [name, ref, clients] of wellBehavedRooms(scene)) {
      for (const client of clients) expect(loadedRoom(ref).awareness.getStates().has(client.doc.clientID), name).toBe(true);
    }
  });
  return scene;
}

/**
 * Runs every lane at once until `target` frames have reached attacker connections the server still
 * had open, while the well-behaved editors type; returns the lanes' statistics and that count.
 */
async function attack(scene: Scene, target: number, seedOf: (lane: Lane) => number): Promise<{ stats: LaneStats[]; live: number }> {
  // Counted in a plain wrapper rather than a spy, which would keep every frame it saw.
  let live = 0;
  const attackerIds = new Set(Object.values(attackers).map((u) => u.id));
  const receive = Connection.prototype.receive;
  Connection.prototype.receive = function (this: Connection, data: Uint8Array) {
    if (attackerIds.has(this.userId) && !(this as unknown as { closed: boolean }).closed) live++;
    return receive.call(this, data);
  };
  const typing = setInterval(() => {
    scene.typed++;
    insertIntoParagraph(scene.aClients[0]!.doc, 0, 0, `[a${scene.typed}]`);
    insertIntoParagraph(bClient(scene, "editor").doc, 1, 0, `[b${scene.typed}]`);
  }, 50);
  try {
    const stats = await Promise.all(scene.lanes.map((lane) => runLane(lane, seedOf(lane), () => live >= target)));
    return { stats, live };
  } finally {
    clearInterval(typing);
    Connection.prototype.receive = receive;
  }
}

/** Logs what was sent and how the server closed, and checks every close carried an app code and a reason. */
function report(run: { stats: LaneStats[]; live: number }, seconds: number): void {
  const byKind: Record<string, number> = {};
  const closes: Record<string, number> = {};
  for (const lane of run.stats) {
    for (const [kind, n] of Object.entries(lane.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    for (const close of lane.closes) {
      expect(ALLOWED_CLOSE_CODES, `close ${close.code} "${close.reason}" (seed ${SEED})`).toContain(close.code);
      expect(close.reason, `close ${close.code} (seed ${SEED})`).not.toBe("");
      closes[`${close.code} ${close.reason}`] = (closes[`${close.code} ${close.reason}`] ?? 0) + 1;
    }
  }
  const total = (pick: (lane: LaneStats) => number) => run.stats.reduce((n, lane) => n + pick(lane), 0);
  console.info(
    JSON.stringify({
      seed: SEED,
      seconds: Number(seconds.toFixed(1)),
      framesSent: total((lane) => lane.sent),
      framesHandledLive: run.live,
      connections: total((lane) => lane.connections),
      byKind,
      closes,
    }),
  );
}

/** A: the text is the original plus the editor's own tokens, the same everywhere; nobody was disturbed; presence is exactly the three. */
async function expectQuietArticleUntouched(scene: Scene): Promise<void> {
  const room = loadedRoom(scene.aBody);
  const [editor] = scene.aClients;
  await eventually(() => {
    for (const client of scene.aClients) {
      expect(client.text()).toBe(bodyText(room.doc));
      expect(sameState(client.doc, room.doc)).toBe(true);
    }
  });
  expect(editor!.text().replace(/\[a\d+\]/g, "")).toBe(scene.originalA);
  for (let i = 1; i <= scene.typed; i++) expect(editor!.text()).toContain(`[a${i}]`);
  for (const client of scene.aClients) {
    expect(client.closes, client.user.name).toEqual([]);
    expect(client.denied, client.user.name).toEqual([]);
  }
  // The attackers claim the well-behaved clients' ids with huge clocks whenever they can (see "lets a
  // client announce itself after someone else claimed its id"); the owners get theirs back at once.
  await eventually(() => {
    for (const client of scene.aClients) {
      const states = client.provider.awareness.getStates();
      expect([...states.keys()].sort()).toEqual(scene.aClients.map((c) => c.doc.clientID).sort());
      scene.aClients.forEach((other, i) => {
        if (other !== client) expect((states.get(other.doc.clientID)?.user as { id?: string } | undefined)?.id).toBe(scene.aUsers[i]!.id);
      });
    }
  });
}

/** B: whatever the attackers got in (they are its editors), every client holds exactly what the server holds. */
async function expectAttackedArticleConsistent(scene: Scene): Promise<void> {
  await eventually(() => {
    for (const kind of ["body", "review", "summary"] as const) {
      const room = loadedRoom(scene.bRef(kind));
      expect(sameState(bClient(scene, kind).doc, room.doc), kind).toBe(true);
      expect(contentOf(kind, bClient(scene, kind).doc)).toEqual(contentOf(kind, room.doc));
    }
    expect(sameState(bClient(scene, "editor").doc, loadedRoom(scene.bRef("body")).doc)).toBe(true);
    expect(bClient(scene, "editor").text()).toBe(bClient(scene, "body").text());
  });
  expect(bClient(scene, "editor").closes).toEqual([]);
}

/**
 * Every room: nothing parked that Yjs could not integrate (it would go to every newcomer and into
 * checkpoints); presence is exactly the well-behaved clients, each speaking for itself only; and the
 * clocks of the thousands of departed attacker ids are forgotten once the awareness timeout has
 * passed (the next departure sweeps them).
 */
async function expectRoomBookkeepingClean(scene: Scene): Promise<void> {
  const rooms = wellBehavedRooms(scene);
  for (const [name, ref, clients] of rooms) {
    const room = loadedRoom(ref);
    const ids = clients.map((c) => c.doc.clientID).sort();
    expect(room.doc.store.pendingStructs, name).toBeNull();
    expect(room.doc.store.pendingDs, name).toBeNull();
    await eventually(() => {
      expect([...room.awareness.getStates().keys()].sort(), name).toEqual(ids);
      expect([...room.peers].flatMap((peer) => (peer as Connection).presenceIds()).sort(), name).toEqual(ids);
    });
  }
  // The awareness timeout may also drop the well-behaved clients' states meanwhile (they renew them),
  // so only other ids count as departed.
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    vi.setSystemTime(Date.now() + 31_000);
    for (const [name, ref, clients] of rooms) {
      const ids = new Set(clients.map((c) => c.doc.clientID));
      const room = loadedRoom(ref);
      const visitor = await openAttacker({ name: `${name} visitor`, ref, user: attackers.viewer, role: "viewer" });
      const closed = closeRecord(visitor);
      visitor.send(awarenessFrame(encodeAwarenessEntries([{ clientId: 424_242, clock: 1, state: {} }])));
      await eventually(() => expect(room.awareness.getStates().has(424_242)).toBe(true));
      visitor.close();
      await closed;
      await eventually(() => expect(room.awareness.getStates().has(424_242)).toBe(false));
      const departed = [...room.awareness.meta.keys()].filter((id) => !room.awareness.getStates().has(id) && id !== room.awareness.clientID && !ids.has(id));
      expect(departed, `${name}: clocks of departed clients`).toEqual([424_242]);
    }
  } finally {
    vi.useRealTimers();
  }
}

/** The store holds what the rooms hold. */
async function expectStoreMatchesRooms(scene: Scene): Promise<void> {
  for (const ref of [scene.aBody, scene.bRef("body"), scene.bRef("review"), scene.bRef("summary")]) {
    const room = loadedRoom(ref);
    await room.flush();
    const stored = await storedDoc(app.db, ref);
    expect(contentOf(ref.room, stored), `stored ${ref.room}`).toEqual(contentOf(ref.room, room.doc));
    stored.destroy();
  }
}

/** Lets B's clients go and waits for its rooms to unload; returns the size of B's documents before. */
async function unloadAttackedArticle(scene: Scene, clients: TestClient[]): Promise<Record<string, number>> {
  const kinds = ["body", "review", "summary"] as const;
  const sizes = Object.fromEntries(kinds.map((kind) => [kind, Y.encodeStateAsUpdate(loadedRoom(scene.bRef(kind)).doc).byteLength]));
  for (const client of scene.b.values()) {
    client.destroy();
    clients.splice(clients.indexOf(client), 1);
  }
  scene.b.clear();
  await eventually(() => {
    for (const kind of kinds) expect(server.collab.registry.find(scene.bRef(kind)), kind).toBeUndefined();
  });
  return sizes;
}

describe("fuzzing the collaboration server", () => {
  it(
    "survives ten thousand hostile frames: it still answers, others' documents are untouched and in sync, memory comes back",
    async () => {
      console.info(`collab fuzz seed: ${SEED} (replay with FACTDESK_FUZZ_SEED=${SEED})`);
      const clients: TestClient[] = [];
      const connect = async (ref: RoomRef, user: TestUser) => {
        const client = await connectClient({ serverUrl: server.serverUrl, articleId: ref.articleId, room: ref.room, user });
        clients.push(client);
        return client;
      };
      const errorLogs = vi.spyOn(logger(), "error");
      try {
        const scene = await setUp(connect);
        // A short warm-up first, so that the baseline already holds what any first use allocates for
        // good (compiled code and validators, prepared statements, pooled buffers).
        await attack(scene, WARM_UP_FRAMES, (lane) => ~lane.seed);
        const heapBefore = heapUsed();

        const started = performance.now();
        const run = await attack(scene, TARGET_FRAMES, (lane) => lane.seed);
        report(run, (performance.now() - started) / 1000);
        expect(run.live).toBeGreaterThanOrEqual(TARGET_FRAMES);

        // Only the well-behaved connections remain, and everything about them is as it should be.
        await eventually(() => {
          expect(loadedRoom(scene.aBody).peers.size).toBe(3);
          expect(loadedRoom(scene.bRef("body")).peers.size).toBe(2);
          expect(loadedRoom(scene.bRef("review")).peers.size).toBe(1);
          expect(loadedRoom(scene.bRef("summary")).peers.size).toBe(1);
        });
        await expectQuietArticleUntouched(scene);
        await expectAttackedArticleConsistent(scene);
        await expectRoomBookkeepingClean(scene);
        await expectStoreMatchesRooms(scene);

        // The server still answers: newcomers sync and see the same.
        const lateA = await connect(scene.aBody, desk.users.commenter);
        expect(lateA.text()).toBe(scene.aClients[0]!.text());
        scene.b.set("late", await connect(scene.bRef("review"), desk.users.commenter));
        expect(reviewJson(bClient(scene, "late").doc)).toEqual(reviewJson(bClient(scene, "review").doc));

        // Memory. What the attackers were entitled to write into B is content, not a leak, so B's
        // clients leave first and its rooms unload; A stays as it was.
        const bStateBytes = await unloadAttackedArticle(scene, clients);
        const heapAfter = heapUsed();
        console.info(JSON.stringify({ heapBeforeMb: +(heapBefore / 2 ** 20).toFixed(1), heapAfterMb: +(heapAfter / 2 ** 20).toFixed(1), bStateBytes }));
        expect(heapAfter).toBeLessThanOrEqual(heapBefore * 1.2);

        const errors = errorLogs.mock.calls.map((call) => JSON.stringify(call, (_key, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
        expect(errors, "error-level logs").toEqual([]);
        expect(processErrors).toEqual([]);
      } finally {
        errorLogs.mockRestore();
        destroyAll(...clients);
      }
    },
    240_000,
  );
});

describe("what the fuzzing found (regressions)", () => {
  /** A raw socket in a room as `user`, ready for frames. */
  const openAs = (ref: RoomRef, user: TestUser, role: Role) => openAttacker({ name: user.name, ref, user, role });

  it("refuses updates that would poison the text or break storage with 4422, and holds back those that build on missing changes", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: SAMPLE_PARAGRAPHS.join("\n\n") });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const watcher = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.viewer });
    const sockets: WebSocket[] = [];
    try {
      const before = watcher.text();
      const writer = new Y.Doc();
      Y.applyUpdate(writer, Y.encodeStateAsUpdate(loadedRoom(ref).doc));
      const edit = (change: (doc: Y.Doc) => void): Uint8Array => {
        const sv = Y.encodeStateVector(writer);
        change(writer);
        return Y.encodeStateAsUpdate(writer, sv);
      };
      const firstText = (doc: Y.Doc) => (bodyFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      const refused: [string, (doc: Y.Doc) => void, RegExp][] = [
        // A bare string in the fragment: y-tiptap throws on it in every browser, and so do revisions and exports.
        ["poison", (doc) => bodyFragment(doc).insert(0, ["bare" as unknown as Y.XmlElement]), /editor cannot show/],
        // PostgreSQL stores no U+0000; one would break every later projection and revision.
        ["nul", (doc) => firstText(doc).insert(0, "a\u0000b"), /NUL/],
      ];
      for (const [label, change, reason] of refused) {
        const probe = new Y.Doc();
        Y.applyUpdate(probe, Y.encodeStateAsUpdate(loadedRoom(ref).doc));
        const sv = Y.encodeStateVector(probe);
        change(probe);
        const ws = await openAs(ref, attackers.editor, "editor");
        sockets.push(ws);
        const closed = closeOf(ws);
        ws.send(syncFrame(2, Y.encodeStateAsUpdate(probe, sv)));
        const close = await closed;
        expect(close.code, label).toBe(CLOSE_CODES.refused);
        expect(close.reason, label).toMatch(reason);
      }
      const room = loadedRoom(ref);
      expect(bodyText(room.doc)).toBe(before);

      // An edit that builds on one the server has not seen waits outside the document, the connection
      // stays open, and both count once the first arrives (as when new edits overtake a reconnecting
      // client's answer to our sync step 1). Yjs alone would park it inside the document for good.
      const first = edit((doc) => firstText(doc).insert(0, "first "));
      const second = edit((doc) => firstText(doc).insert(6, "second "));
      const ws = await openAs(ref, attackers.editor, "editor");
      sockets.push(ws);
      ws.send(updateFrame(second));
      expect(await pongOrClose(ws)).toBe(true);
      expect(ws.readyState).toBe(WebSocket.OPEN);
      expect(room.doc.store.pendingStructs).toBeNull();
      expect(bodyText(room.doc)).toBe(before);
      ws.send(updateFrame(first));
      await eventually(() => expect(watcher.text()).toBe(`first second ${before}`));
      expect(room.doc.store.pendingStructs).toBeNull();
      expect(watcher.closes).toEqual([]);
    } finally {
      for (const ws of sockets) ws.terminate();
      watcher.destroy();
    }
  });

  it("does not let a peer's late echo of someone's presence bring them back, and forgets departed clocks after the timeout", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Presence." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const presence = (clientId: number, clock: number) => awarenessFrame(encodeAwarenessEntries([{ clientId, clock, state: { cursor: null } }]));
    const leaver = await openAs(ref, desk.users.checker, "checker");
    const echoer = await openAs(ref, desk.users.commenter, "commenter");
    try {
      const room = loadedRoom(ref);
      leaver.send(presence(777, 5));
      echoer.send(presence(888, 1));
      await eventually(() => expect([...room.awareness.getStates().keys()].sort()).toEqual([777, 888]));
      const left = closeRecord(leaver);
      leaver.close();
      await left;
      await eventually(() => expect(room.awareness.getStates().has(777)).toBe(false));
      // y-websocket clients send back every presence they receive; this one arrives after 777 left.
      echoer.send(presence(777, 5));
      await pongOrClose(echoer);
      expect(room.awareness.getStates().has(777)).toBe(false);
      const echoing = [...room.peers].find((peer) => peer.userId === desk.users.commenter.id) as Connection;
      expect(echoing.presenceIds()).toEqual([888]);
      // 777's clock is kept for now (it is what stops the echo), and forgotten after the awareness timeout.
      expect(room.awareness.meta.has(777)).toBe(true);
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() + 31_000);
        const echoerLeft = closeRecord(echoer);
        echoer.close();
        await echoerLeft;
        await eventually(() => expect(room.peers.size).toBe(0));
        expect(room.awareness.meta.has(777)).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    } finally {
      leaver.terminate();
      echoer.terminate();
    }
  });

  it("lets a client announce itself after someone else claimed its id with a huge clock and left", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Presence." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const id = 555_555;
    // Client ids are no secret (every update an editor makes carries one): a viewer claims this one
    // before its owner arrives, with the largest clock, and leaves. Its clock stays behind (it is what
    // stops late echoes), and every clock the owner sends is smaller.
    const squatter = await openAs(ref, desk.users.viewer, "viewer");
    const doc = new Y.Doc();
    doc.clientID = id;
    let owner: TestClient | undefined;
    try {
      const room = loadedRoom(ref);
      squatter.send(awarenessFrame(encodeAwarenessEntries([{ clientId: id, clock: 2 ** 53 - 1, state: { cursor: null } }])));
      await eventually(() => expect(room.awareness.getStates().has(id)).toBe(true));
      const left = closeRecord(squatter);
      squatter.close();
      await left;
      await eventually(() => expect(room.awareness.getStates().has(id)).toBe(false));
      owner = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.checker, role: "checker", doc });
      await eventually(() => expect((room.awareness.getStates().get(id)?.user as { id?: string } | undefined)?.id).toBe(desk.users.checker.id));
      const owning = [...room.peers].find((peer) => peer.userId === desk.users.checker.id) as Connection;
      expect(owning.presenceIds()).toEqual([id]);
    } finally {
      squatter.terminate();
      owner?.destroy();
    }
  });
});
