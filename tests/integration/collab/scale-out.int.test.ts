import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendUpdates, type RoomRef } from "@/db/queries/documents";
import { addMember, changeMemberRole, removeMember } from "@/db/queries/members";
import { createUser } from "@/db/queries/users";
import { announceAppended, closeRoomBus, flushRoomIfLoaded } from "@/lib/room-bus";
import { CLOSE_CODES } from "@/model/close-codes";
import { createDesk, type TestDesk } from "../../support/api";
import {
  appendParagraph,
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertToken,
  logAuthors,
  occurrences,
  sameState,
  seededRandom,
  storedDoc,
  ticketFor,
  type TestClient,
  type TicketUser,
} from "../../support/collab";
import {
  deleteKeys,
  failOver,
  leaseHolderPid,
  logStoresEachUpdateOnce,
  PrivateRedis,
  requireRedis,
  startCluster,
  testRedisUrl,
  uniqueKeyPrefix,
  type ClusterServer,
} from "../../support/cluster";
import { useTestApp } from "../../support/test-database";

// Issue 8: several collaboration servers, each a real `npm run start:collab` process, share rooms
// through Redis and one PostgreSQL database. Scale-out needs PostgreSQL (the embedded database is one
// process's), so these run in the PostgreSQL project; they need Redis as well (TEST_REDIS_URL, by
// default the machine's own at 127.0.0.1:6379) and fail, not skip, when it is missing.

const app = useTestApp();
const TEST_TIMEOUT = 90_000;
const tokenPattern = /\[[a-z]+\d+\]/g;

/** Types a unique token every `everyMs` into a client's document, remembering each one. */
function typist(client: TestClient, name: string, seed: number, everyMs: number, limit = Infinity) {
  const random = seededRandom(seed);
  const made: string[] = [];
  const timer = setInterval(() => {
    if (made.length >= limit) return;
    const token = `[${name}${made.length}]`;
    insertToken(client.doc, token, random);
    made.push(token);
  }, everyMs);
  return { made, stop: () => clearInterval(timer) };
}

/** A name of letters only for client `i` (tokens are `[letters digits]`). */
function letters(i: number): string {
  return String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
}

/** Adds `count` editors to the desk (without passwords: they only need tickets). */
async function addEditors(desk: TestDesk, label: string, count: number): Promise<TicketUser[]> {
  const run = randomBytes(3).toString("hex");
  const users: TicketUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = await createUser(app.db, { email: `${label}-${run}-${i}@example.test`, name: `${label} ${i}`, passwordHash: null });
    await addMember(app.db, { teamId: desk.team.id, userId: user.id, role: "editor" });
    users.push({ id: user.id, name: user.name });
  }
  return users;
}

/** Waits until every client holds the same text, containing each of `tokens` exactly once. */
async function converged(clients: TestClient[], tokens: string[], timeout = 30_000): Promise<string> {
  return eventually(
    () => {
      const text = clients[0]!.text();
      for (const client of clients) expect(client.text(), `${client.user.name}'s copy`).toBe(text);
      for (const token of tokens) expect(occurrences(text, token), token).toBe(1);
      return text;
    },
    timeout,
    200,
  );
}

/** Waits until the room as stored equals `expected` and every struct is stored exactly once. */
async function storedExactlyOnce(ref: RoomRef, expected: Y.Doc): Promise<void> {
  await eventually(
    async () => {
      const stored = await storedDoc(app.db, ref);
      expect(sameState(stored, expected), "the stored state equals the clients'").toBe(true);
      expect(await logStoresEachUpdateOnce(app.db, ref, expected)).toBeUndefined();
    },
    20_000,
    250,
  );
}

if (process.env.TEST_DB_KIND === "postgres") {
  describe("three collaboration servers sharing rooms through Redis", () => {
    let desk: TestDesk;
    let servers: ClusterServer[] = [];
    const redisUrl = testRedisUrl();
    const keyPrefix = uniqueKeyPrefix();
    const live = () => servers.filter((s) => !s.exited);

    beforeAll(async () => {
      await requireRedis(redisUrl);
      // This process plays the app: its restores and flush requests go over the same Redis.
      process.env.REDIS_URL = redisUrl;
      process.env.REDIS_KEY_PREFIX = keyPrefix;
      desk = await createDesk(app, "Scale Desk");
      servers = await startCluster(3, { databaseUrl: app.url, secret: app.secret, redisUrl, keyPrefix });
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop("SIGTERM")));
      await closeRoomBus();
      delete process.env.REDIS_URL;
      delete process.env.REDIS_KEY_PREFIX;
      await deleteKeys(redisUrl, keyPrefix);
    });

    it(
      "sixty clients spread over the servers converge; presence crosses servers; the log stores each update once",
      async () => {
        const original = "First paragraph of the shared article.\n\nSecond paragraph of it.";
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
        const ref: RoomRef = { articleId: article.id, room: "body" };
        const editors = await addEditors(desk, "spread", 60);
        const clients: TestClient[] = [];
        const typists: ReturnType<typeof typist>[] = [];
        try {
          clients.push(
            ...(await Promise.all(editors.map((user, i) => connectClient({ serverUrl: servers[i % 3]!.serverUrl, articleId: article.id, user, role: "editor" })))),
          );
          for (const client of clients) expect(client.text()).toBe(original);

          // Presence: a caret set through server 0 shows on server 2 with the verified name.
          clients[0]!.provider.awareness.setLocalStateField("cursor", { anchor: 3, head: 3 });
          await eventually(() => {
            const state = clients[2]!.provider.awareness.getStates().get(clients[0]!.doc.clientID) as { user?: { name?: string }; cursor?: unknown } | undefined;
            expect(state?.user?.name).toBe(editors[0]!.name);
            expect(state?.cursor).toEqual({ anchor: 3, head: 3 });
          });

          for (const [i, client] of clients.entries()) typists.push(typist(client, `s${letters(i)}`, i + 1, 120, 4));
          await eventually(() => expect(typists.every((t) => t.made.length === 4)).toBe(true), 20_000);
          const tokens = typists.flatMap((t) => t.made);
          const text = await converged(clients, tokens);
          expect(text.replace(tokenPattern, "")).toBe(original);
          await storedExactlyOnce(ref, clients[0]!.doc);

          // A restore made by the app (rows appended to the log, then announced) reaches every server's clients and is not stored again.
          const scratch = await storedDoc(app.db, ref);
          const before = Y.encodeStateVector(scratch);
          appendParagraph(scratch, "Brought back by a restore.");
          await appendUpdates(app.db, [{ ...ref, userId: desk.users.owner.id, update: Y.encodeStateAsUpdate(scratch, before) }]);
          await announceAppended(app.db, ref);
          await eventually(() => {
            for (const client of clients) expect(client.text()).toContain("Brought back by a restore.");
          }, 15_000, 200);
          await storedExactlyOnce(ref, clients[59]!.doc);
        } finally {
          for (const t of typists) t.stop();
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );

    it(
      "single writer: two servers holding one room never both write its log; each update is stored once, as its author's row",
      async () => {
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Writer paragraph." });
        const ref: RoomRef = { articleId: article.id, room: "body" };
        const editors = await addEditors(desk, "writer", 4);
        const clients: TestClient[] = [];
        const typists: ReturnType<typeof typist>[] = [];
        try {
          // Two on server 0, two on server 1: both servers hold the room, both receive edits.
          clients.push(...(await Promise.all(editors.map((user, i) => connectClient({ serverUrl: servers[i % 2]!.serverUrl, articleId: article.id, user, role: "editor" })))));
          for (const [i, client] of clients.entries()) typists.push(typist(client, `w${letters(i)}`, 300 + i, 25, 40));
          await eventually(() => expect(typists.every((t) => t.made.length === 40)).toBe(true), 20_000);
          await converged(clients, typists.flatMap((t) => t.made));
          await storedExactlyOnce(ref, clients[0]!.doc);
          // Whichever server wrote them, each author's edits are stored as that author's rows.
          const authors = new Set(await logAuthors(app.db, ref));
          for (const user of editors) expect(authors, user.name).toContain(user.id);
        } finally {
          for (const t of typists) t.stop();
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );

    it(
      "before a restore or a publication reads the log, the server writing the room stores what it holds, wherever it runs",
      async () => {
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Flush paragraph." });
        const ref: RoomRef = { articleId: article.id, room: "body" };
        const editors = await addEditors(desk, "flush", 3);
        const clients: TestClient[] = [];
        try {
          clients.push(...(await Promise.all(editors.map((user, i) => connectClient({ serverUrl: servers[i]!.serverUrl, articleId: article.id, user, role: "editor" })))));
          const holderPid = await eventually(async () => {
            const pid = await leaseHolderPid(app.db, ref);
            expect(pid).toBeDefined();
            return pid!;
          });
          const onHolder = clients[servers.findIndex((s) => s.child.pid === holderPid)]!;
          const author = clients.find((c) => c !== onHolder)!;
          for (let round = 0; round < 5; round++) {
            const token = `[flush${round}]`;
            insertToken(author.doc, token, seededRandom(round));
            // Once a client of the writing server has it, the writer holds it: a flush request must store it.
            await eventually(() => expect(occurrences(onHolder.text(), token)).toBe(1), 10_000, 5);
            await flushRoomIfLoaded(ref);
            expect(occurrences(bodyText(await storedDoc(app.db, ref)), token), `${token} stored when the flush returned`).toBe(1);
          }
        } finally {
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );

    it(
      "a role change or a removal closes the user's connections on every server",
      async () => {
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Access paragraph." });
        const [user] = await addEditors(desk, "revoked", 1);
        const clients: TestClient[] = [];
        try {
          for (const server of servers) clients.push(await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: user!, role: "editor" }));
          await changeMemberRole(app.db, { teamId: desk.team.id, userId: user!.id, role: "viewer", actorId: desk.users.owner.id });
          await eventually(() => {
            for (const client of clients) expect(client.closes.map((c) => c.code)).toContain(CLOSE_CODES.accessChanged);
          }, 15_000);
          // y-websocket stops on 44xx; the app reconnects with a fresh ticket (and the new role), and so do we.
          for (const client of clients) {
            client.provider.params = { ticket: await ticketFor(user!, article.id, "viewer") };
            client.provider.connect();
          }
          await eventually(() => expect(clients.every((c) => c.provider.synced)).toBe(true), 15_000);
          // Removed from the desk: shut out on every server.
          await removeMember(app.db, { teamId: desk.team.id, userId: user!.id, actorId: desk.users.owner.id });
          await eventually(() => {
            for (const client of clients) expect(client.closes.map((c) => c.code)).toContain(CLOSE_CODES.forbidden);
          }, 15_000);
        } finally {
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );

    // Last: it kills one of the servers.
    it(
      "a server killed mid-edit: its clients reconnect to the others, nothing acknowledged is lost, each update is stored once",
      async () => {
        const original = "Crash paragraph one.\n\nCrash paragraph two.";
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
        const ref: RoomRef = { articleId: article.id, room: "body" };
        const editors = await addEditors(desk, "crash", 12);
        const clients: TestClient[] = [];
        const typists: ReturnType<typeof typist>[] = [];
        try {
          clients.push(
            ...(await Promise.all(editors.map((user, i) => connectClient({ serverUrl: servers[i % 3]!.serverUrl, articleId: article.id, user, role: "editor" })))),
          );
          for (const client of clients) failOver(client, live);
          for (const [i, client] of clients.entries()) typists.push(typist(client, `k${String.fromCharCode(97 + i)}`, 100 + i, 60));
          // Typing crosses every server: each client holds an early token of every other client.
          await eventually(
            () => {
              for (const client of clients) for (const t of typists) expect(occurrences(client.text(), t.made[3] ?? "[none]")).toBe(1);
            },
            20_000,
            100,
          );

          // Kill the server that writes the room's log: the hardest case.
          const holderPid = await eventually(async () => {
            const pid = await leaseHolderPid(app.db, ref);
            expect(pid).toBeDefined();
            return pid!;
          });
          const victim = servers.find((s) => s.child.pid === holderPid);
          expect(victim, "the lease holder is one of the cluster's processes").toBeDefined();
          const onVictim = clients.filter((_, i) => servers[i % 3] === victim);
          const onSurvivors = clients.filter((c) => !onVictim.includes(c));
          // One of its clients goes away with it: what it typed counts only where others had received it.
          const gone = onVictim[0]!;
          typists[clients.indexOf(gone)]!.stop();
          expect(await victim!.stop("SIGKILL")).toBe("SIGKILL");
          gone.destroy();
          const acknowledged = new Set(onSurvivors.flatMap((c) => c.text().match(tokenPattern) ?? []));
          expect(acknowledged.size).toBeGreaterThan(20);

          // The others move to the surviving servers and keep typing; a survivor takes the lease over.
          await eventually(() => expect(onVictim.slice(1).every((c) => c.provider.wsconnected && c.provider.synced)).toBe(true), 20_000);
          const typedAfter = typists.map((t) => t.made.length);
          await eventually(async () => {
            expect(typists.every((t, i) => t === typists[clients.indexOf(gone)] || t.made.length > typedAfter[i]! + 5)).toBe(true);
            const pid = await leaseHolderPid(app.db, ref);
            expect(live().map((s) => s.child.pid)).toContain(pid);
          }, 20_000);
          for (const t of typists) t.stop();

          const remaining = clients.filter((c) => c !== gone);
          const tokens = [...acknowledged, ...typists.filter((t) => t !== typists[clients.indexOf(gone)]).flatMap((t) => t.made)];
          const text = await converged(remaining, [...new Set(tokens)]);
          expect(text.replace(tokenPattern, "")).toBe(original);
          await storedExactlyOnce(ref, remaining[0]!.doc);
        } finally {
          for (const t of typists) t.stop();
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );
  });

  describe("when Redis goes away mid-edit", () => {
    let desk: TestDesk;
    let redis: PrivateRedis | undefined;
    let servers: ClusterServer[] = [];

    beforeAll(async () => {
      desk = await createDesk(app, "Outage Desk");
      redis = await PrivateRedis.start();
      servers = await startCluster(2, { databaseUrl: app.url, secret: app.secret, redisUrl: redis.url, keyPrefix: uniqueKeyPrefix() });
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop("SIGTERM")));
      await redis?.stop();
    });

    it(
      "each server keeps serving its own clients and reports degraded; once Redis is back the rooms converge and are stored once",
      async () => {
        const original = "Outage paragraph.";
        const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
        const ref: RoomRef = { articleId: article.id, room: "body" };
        const editors = await addEditors(desk, "outage", 6);
        const clients: TestClient[] = [];
        const typists: ReturnType<typeof typist>[] = [];
        try {
          clients.push(
            ...(await Promise.all(editors.map((user, i) => connectClient({ serverUrl: servers[i % 2]!.serverUrl, articleId: article.id, user, role: "editor" })))),
          );
          for (const [i, client] of clients.entries()) typists.push(typist(client, `r${String.fromCharCode(97 + i)}`, 200 + i, 60));
          await eventually(() => {
            for (const client of clients) for (const t of typists) expect(occurrences(client.text(), t.made[3] ?? "[none]")).toBe(1);
          }, 20_000);

          await redis!.stop();
          // Degraded (503: a load balancer prefers healthy servers), the relay named as the reason.
          for (const server of servers) {
            await eventually(
              async () => expect(await server.health()).toMatchObject({ status: 503, body: { status: "degraded", components: { "redis-relay": { ok: false } } } }),
              15_000,
              100,
            );
          }
          // Still live within each server: a token typed now on server 0 reaches server 0's other clients.
          const [a, , c] = [clients[0]!, clients[1]!, clients[2]!];
          const mark = typists[0]!.made.length + 3;
          await eventually(() => expect(occurrences(c.text(), `[ra${mark}]`)).toBe(1), 15_000, 100);
          expect(occurrences(a.text(), `[ra${mark}]`)).toBe(1);

          await redis!.resume();
          for (const server of servers) {
            await eventually(async () => expect(await server.health()).toMatchObject({ status: 200, body: { status: "ok", components: { "redis-relay": { ok: true } } } }), 15_000, 100);
          }
          await new Promise((resolve) => setTimeout(resolve, 300));
          for (const t of typists) t.stop();
          const text = await converged(clients, typists.flatMap((t) => t.made));
          expect(text.replace(tokenPattern, "")).toBe(original);
          await storedExactlyOnce(ref, clients[0]!.doc);
        } finally {
          for (const t of typists) t.stop();
          destroyAll(...clients);
        }
      },
      TEST_TIMEOUT,
    );
  });
} else {
  describe("scale-out on the embedded database", () => {
    it("refuses to start: REDIS_URL needs PostgreSQL", async () => {
      const child = spawn(process.execPath, ["--import", "tsx", "server/collab-main.ts"], {
        cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../.."),
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: app.url,
          FACTDESK_EMBEDDED_DB: "1",
          NEXTAUTH_SECRET: app.secret,
          COLLAB_PORT: "0",
          HOST: "127.0.0.1",
          LOG_LEVEL: "error",
          REDIS_URL: testRedisUrl(),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      let timer: NodeJS.Timeout | undefined;
      try {
        const exit = once(child, "exit") as Promise<[number | null]>;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after 30 s:\n${output}`)), 30_000)));
        const [code] = await Promise.race([exit, late]);
        expect(code).not.toBe(0);
        expect(output).toContain("needs PostgreSQL");
      } finally {
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    }, 60_000);
  });
}
