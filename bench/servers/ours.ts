import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { createArticle } from "@/db/queries/articles";
import { appendUpdates } from "@/db/queries/documents";
import { addMember } from "@/db/queries/members";
import { createTeam } from "@/db/queries/teams";
import { createUser } from "@/db/queries/users";
import { resetEnv } from "@/lib/env";
import { mintTicket } from "@/lib/tickets";
import type { Role } from "@/model/roles";
import { COLLAB_PATH } from "@/model/rooms";
import { createCollabServer } from "@/server/collab/collab-server";
import { Connection } from "@/server/collab/connection";
import { ReviewGuard } from "@/server/collab/review-guard";
import { Room } from "@/server/collab/room";
import { processCpuSeconds } from "../../tests/support/processes";
import { SEED_DOC } from "../lib/content";
import type { ReviewSetup, RoomSpec, ServerTimings } from "../lib/ipc";
import { runChild } from "./child";

/**
 * Review workloads only: times, inside the server, what it does with each frame. The methods are
 * wrapped on their prototypes (nothing else changes); two clock reads per call while recording.
 *   "<room>: frame": Connection.receive, from the decoded frame to the relay to every peer
 *   "review: guard.check": ReviewGuard.check
 *   "<room>: room.applyUpdate": Room.applyUpdate (Yjs apply, the room's listeners, the relay)
 *   "<room>: checkpoint (synchronous part)": Room.compact up to its first await (encoding the whole
 *     document and building the INSERT), every 200 log rows
 */
const serverTimings: { recording: boolean; samples: ServerTimings } = { recording: false, samples: {} };
let instrumented = false;

function timed<A extends unknown[], R>(original: (this: never, ...args: A) => R, name: (self: never) => string) {
  return function (this: never, ...args: A): R {
    if (!serverTimings.recording) return original.apply(this, args);
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = name(this);
      (serverTimings.samples[key] ??= []).push(performance.now() - t0);
    }
  };
}

function instrument(): void {
  if (instrumented) return;
  instrumented = true;
  Connection.prototype.receive = timed(Connection.prototype.receive, (c: Connection) => `${c.room.ref.room}: frame`);
  ReviewGuard.prototype.check = timed(ReviewGuard.prototype.check, () => "review: guard.check");
  Room.prototype.applyUpdate = timed(Room.prototype.applyUpdate, (r: Room) => `${r.ref.room}: room.applyUpdate`);
  Room.prototype.compact = timed(Room.prototype.compact, (r: Room) => `${r.ref.room}: checkpoint (synchronous part)`);
}

/**
 * Our collaboration server behind a plain http server. BENCH_OURS_DB=postgres runs it on a fresh
 * `factdesk_bench_<hex>` database on BENCH_DATABASE_URL (or TEST_DATABASE_URL), dropped at the end;
 * otherwise on an in-memory embedded PGlite in a child process, as `npm start` does by default.
 */
async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; url: string; description: string; pid?: number; drop: () => Promise<void> }> {
  if (process.env.BENCH_OURS_DB === "postgres") {
    const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error("BENCH_OURS_DB=postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL");
    const name = `factdesk_bench_${randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end({ timeout: 5 });
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = openDatabase(url.toString(), { max: 10 });
    return {
      handle,
      url: url.toString(),
      description: `PostgreSQL (${url.host}, database ${name})`,
      drop: async () => {
        await handle.close();
        const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
        try {
          await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await dropper.end({ timeout: 5 });
        }
      },
    };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres();
  const handle = openDatabase(embedded.url, { embedded: true });
  return {
    handle,
    url: embedded.url,
    description: "embedded PGlite, in memory, in its child process",
    pid: embedded.pid,
    drop: async () => {
      await handle.close();
      await embedded.stop();
    },
  };
}

await runChild(async () => {
  process.env.LOG_LEVEL ??= "warn";
  const database = await openBenchDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  resetEnv();
  const { db } = database.handle;
  await runMigrations(db);

  const collab = createCollabServer({ db });
  const http = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  http.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith(`${COLLAB_PATH}/`)) collab.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

  let desk = 0;

  /**
   * Review workloads: a desk owned by a user who does not connect; the first `typers` clients are
   * checkers (review room) or editors (body room), the rest viewers. Each article is the demo text,
   * and its body and review rooms are written straight into the update log (as server-made rows,
   * like the seed the server writes itself), so the review room opens with every claim in place.
   */
  async function setupReview(rooms: number, clientsPerRoom: number, review: ReviewSetup): Promise<RoomSpec[]> {
    // Imported only here, so that the other workloads' server process loads exactly what it did before.
    const { buildReviewContent, claimForTyper, demoArticle } = await import("../lib/review-content");
    instrument();
    const run = `${desk++}-${randomBytes(3).toString("hex")}`;
    const owner = await createUser(db, { email: `bench-${run}-owner@example.test`, name: "Owner", passwordHash: null });
    const team = await createTeam(db, { name: `Bench desk ${run}`, ownerId: owner.id });
    const typerRole: Role = review.room === "review" ? "checker" : "editor";
    const users: { user: { id: string; name: string }; role: Role }[] = [];
    for (let i = 0; i < clientsPerRoom; i++) {
      const role: Role = i < review.typers ? typerRole : "viewer";
      const user = await createUser(db, { email: `bench-${run}-${i}@example.test`, name: `${role} ${i}`, passwordHash: null });
      await addMember(db, { teamId: team.id, userId: user.id, role });
      users.push({ user, role });
    }
    const authors = users.slice(0, Math.max(1, review.typers)).map((u) => u.user.id);
    const { title, content } = demoArticle();
    const specs: RoomSpec[] = [];
    for (let r = 0; r < rooms; r++) {
      const article = await createArticle(db, { teamId: team.id, createdBy: owner.id, article: { title, content } });
      const built = buildReviewContent(content, authors, review, r + 1);
      await appendUpdates(db, [
        { articleId: article.id, room: "body", userId: null, update: built.bodySeed },
        { articleId: article.id, room: "review", userId: null, update: built.reviewState },
      ]);
      const name = `${article.id}/${review.room}`;
      const clients = [];
      for (const [i, { user, role }] of users.entries()) {
        const { ticket } = await mintTicket({ sub: user.id, articleId: article.id, role, name: user.name });
        clients.push({
          path: `${COLLAB_PATH}/${name}?ticket=${encodeURIComponent(ticket)}`,
          docName: name,
          token: "",
          userId: user.id,
          claimId: i < review.typers ? claimForTyper(built.claimIds, i, review.typers) : undefined,
        });
      }
      specs.push({ name, clients });
    }
    return specs;
  }

  return {
    port: (http.address() as AddressInfo).port,
    description: `ours (server/collab/collab-server.ts) on ${database.description}`,
    async setup(rooms, clientsPerRoom, review): Promise<RoomSpec[]> {
      if (review) return setupReview(rooms, clientsPerRoom, review);
      // One desk; client i of every room is user i (user 0 owns the desk, the others are editors).
      const run = `${desk++}-${randomBytes(3).toString("hex")}`;
      const users = [];
      for (let i = 0; i < clientsPerRoom; i++) {
        users.push(await createUser(db, { email: `bench-${run}-${i}@example.test`, name: `Editor ${i}`, passwordHash: null }));
      }
      const owner = users[0];
      if (!owner) throw new Error("a room needs at least one client");
      const team = await createTeam(db, { name: `Bench desk ${run}`, ownerId: owner.id });
      for (const user of users.slice(1)) await addMember(db, { teamId: team.id, userId: user.id, role: "editor" });
      const specs: RoomSpec[] = [];
      for (let r = 0; r < rooms; r++) {
        const article = await createArticle(db, { teamId: team.id, createdBy: owner.id, article: { title: `Bench article ${r}`, content: SEED_DOC } });
        const name = `${article.id}/body`;
        const clients = [];
        for (const [i, user] of users.entries()) {
          const { ticket } = await mintTicket({ sub: user.id, articleId: article.id, role: i === 0 ? "owner" : "editor", name: user.name });
          clients.push({ path: `${COLLAB_PATH}/${name}?ticket=${encodeURIComponent(ticket)}`, docName: name, token: "" });
        }
        specs.push({ name, clients });
      }
      return specs;
    },
    // The embedded database's process is part of ours (PostgreSQL's own CPU is not counted for ours-pg).
    helperCpuMicros: () => (processCpuSeconds(database.pid) ?? 0) * 1e6,
    timings(recording) {
      serverTimings.recording = recording;
      if (recording) serverTimings.samples = {};
      return recording ? {} : serverTimings.samples;
    },
    async stop() {
      http.closeAllConnections();
      await collab.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await database.drop();
    },
  };
});
