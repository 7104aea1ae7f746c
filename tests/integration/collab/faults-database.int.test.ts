import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { closeDb, getDb, type Database } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import type { RoomRef } from "@/db/queries/documents";
import { addMember } from "@/db/queries/members";
import { createTeam } from "@/db/queries/teams";
import { createUser } from "@/db/queries/users";
import { resetEnv } from "@/lib/env";
import { CLOSE_CODES } from "@/model/close-codes";
import type { Role } from "@/model/roles";
import { LOG_HEALTH_COMPONENT } from "@/server/collab/update-writer";
import { bodyText, connectClient, createTextArticle, destroyAll, eventually, insertToken, occurrences, sameState, seededRandom, startCollab, storedDoc, ticketFor, tryUpgrade, typeUntilRefused, type CollabHarness, type TestClient, type TicketUser } from "../../support/collab";
import { createPrivatePostgres, type PrivatePostgres } from "../../support/private-postgres";

// PostgreSQL itself stops and starts here, so these tests run on a private cluster of their own (the
// machine's shared server serves every other test). vitest.config.ts runs this file once: in the
// PostgreSQL project when TEST_DATABASE_URL is set, otherwise in the embedded one.

const TEST_TIMEOUT = 90_000;

type HealthAnswer = {
  status: number;
  body: { status: string; database: { reachable: boolean }; components?: Record<string, { ok: boolean; detail?: string; metrics?: Record<string, number> }> };
};

async function checkHealth(): Promise<HealthAnswer> {
  const res = await health();
  return { status: res.status, body: (await res.json()) as HealthAnswer["body"] };
}

/** Edits a client's doc every few ms with unique tokens, remembering each one. */
function typist(client: TestClient, name: string, seed: number, everyMs = 20) {
  const random = seededRandom(seed);
  const made: string[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const token = `[${name}${n++}]`;
    insertToken(client.doc, token, random);
    made.push(token);
  }, everyMs);
  return { made, stop: () => clearInterval(timer) };
}

describe("when PostgreSQL itself stops", () => {
  let pg: PrivatePostgres;
  let db: Database;
  let teamId: string;
  const users = {} as Record<Role, TicketUser>;
  const clients: TestClient[] = [];
  const harnesses: CollabHarness[] = [];

  beforeAll(async () => {
    pg = await createPrivatePostgres();
    // The health route reads the process-wide database: point it at the private cluster.
    process.env.DATABASE_URL = pg.url;
    process.env.FACTDESK_EMBEDDED_DB = "0";
    process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
    process.env.LOG_LEVEL ??= "silent";
    resetEnv();
    await closeDb();
    db = getDb();
    await runMigrations(db);
    for (const role of ["owner", "editor", "checker", "commenter", "viewer"] as const) {
      const user = await createUser(db, { email: `faults-${role}-${randomBytes(3).toString("hex")}@example.test`, name: `Faults ${role}`, passwordHash: null });
      users[role] = { id: user.id, name: user.name };
    }
    teamId = (await createTeam(db, { name: "Database Faults Desk", ownerId: users.owner.id })).id;
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) await addMember(db, { teamId, userId: users[role].id, role });
  });

  afterEach(async () => {
    destroyAll(...clients.splice(0));
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  afterAll(async () => {
    await closeDb();
    await pg?.destroy();
  });

  it(
    "keeps relaying while it is down, reports degraded, and stores every edit once it is back",
    async () => {
      const original = "The first paragraph.\n\nThe second paragraph.";
      const article = await createTextArticle(db, { teamId, createdBy: users.editor.id, text: original });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const server = await startCollab({ db });
      harnesses.push(server);
      const a = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.editor });
      const b = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.owner });
      const reader = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.viewer });
      clients.push(a, b, reader);
      const ta = typist(a, "a", 1);
      const tb = typist(b, "b", 2);
      try {
        await eventually(async () => {
          expect(ta.made.length).toBeGreaterThan(10);
          expect(occurrences(bodyText(await storedDoc(db, ref)), ta.made[5]!)).toBe(1);
        });

        await pg.stop("immediate");
        const atStop = { a: ta.made.length, b: tb.made.length };

        // Edits made after the stop still travel between the clients.
        await eventually(() => {
          expect(ta.made.length).toBeGreaterThan(atStop.a + 10);
          expect(tb.made.length).toBeGreaterThan(atStop.b + 10);
          expect(occurrences(b.text(), ta.made[atStop.a + 5]!)).toBe(1);
          expect(occurrences(a.text(), tb.made[atStop.b + 5]!)).toBe(1);
          expect(occurrences(reader.text(), ta.made[atStop.a + 5]!)).toBe(1);
        }, 15_000);

        const degraded = await eventually(async () => {
          const answer = await checkHealth();
          expect(answer.status).toBe(503);
          expect(answer.body.components?.[LOG_HEALTH_COMPONENT]?.ok).toBe(false);
          return answer;
        }, 15_000);
        expect(degraded.body).toMatchObject({ status: "degraded", database: { reachable: false } });
        expect(degraded.body.components![LOG_HEALTH_COMPONENT]!.detail).toMatch(/^database unreachable, \d+ updates waiting$/);
        expect(degraded.body.components![LOG_HEALTH_COMPONENT]!.metrics!.pendingUpdates).toBeGreaterThan(0);
        // New connections cannot be checked without the database: refused as unavailable, to be retried.
        const upgrade = await tryUpgrade(server.serverUrl, article.id, "body", await ticketFor(users.checker, article.id));
        expect(upgrade).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });

        await pg.start();
        const atStart = { a: ta.made.length, b: tb.made.length };
        await eventually(() => {
          expect(ta.made.length).toBeGreaterThan(atStart.a + 10);
          expect(tb.made.length).toBeGreaterThan(atStart.b + 10);
        });
      } finally {
        ta.stop();
        tb.stop();
      }

      const all = [...ta.made, ...tb.made];
      await eventually(() => {
        expect(a.text()).toBe(b.text());
        expect(reader.text()).toBe(a.text());
        for (const token of all) expect(occurrences(a.text(), token), token).toBe(1);
      });
      await eventually(async () => {
        const answer = await checkHealth();
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ status: "ok", database: { reachable: true }, components: { [LOG_HEALTH_COMPONENT]: { ok: true } } });
      }, 30_000);
      // The backlog is stored; the last edits may still sit in their flush window.
      const stored = await eventually(async () => {
        const current = await storedDoc(db, ref);
        expect(sameState(current, a.doc)).toBe(true);
        return current;
      });
      const storedText = bodyText(stored);
      expect(storedText).toBe(a.text());
      for (const token of all) expect(occurrences(storedText, token), token).toBe(1);
      // Nobody was disconnected by the outage.
      for (const client of [a, b, reader]) expect(client.closes, client.user.name).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    "refuses new edits with storageUnavailable once the unsaved log is full; readers stay; the refused edits come back later",
    async () => {
      const article = await createTextArticle(db, { teamId, createdBy: users.editor.id, text: "A bounded paragraph." });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const server = await startCollab({ db, unsavedLogBytes: 800 });
      harnesses.push(server);
      const writer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.editor });
      const idleWriter = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.owner });
      const reader = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: users.viewer });
      clients.push(writer, idleWriter, reader);

      await pg.stop("fast");
      const random = seededRandom(3);
      const { accepted, refused } = await typeUntilRefused({ writer, reader, prefix: "w", max: 300, seed: 3 });
      expect(refused).toBeDefined();
      expect(writer.closes[0]).toEqual({ code: CLOSE_CODES.storageUnavailable, reason: "the server cannot save changes right now" });
      // Whatever the writer types now stays in its own copy until the server takes edits again.
      const after = ["[late0]", "[late1]"];
      for (const token of after) insertToken(writer.doc, token, random);

      const room = server.collab.registry.find(ref)!;
      const serverText = bodyText(room.doc);
      for (const token of [refused!, ...after]) expect(occurrences(serverText, token), token).toBe(0);
      for (const token of accepted) expect(occurrences(serverText, token), token).toBe(1);
      await eventually(() => expect(reader.text()).toBe(serverText));
      expect(idleWriter.text()).toBe(serverText);
      for (const client of [reader, idleWriter]) {
        expect(client.provider.wsconnected, client.user.name).toBe(true);
        expect(client.closes, client.user.name).toEqual([]);
      }
      const answer = await eventually(async () => {
        const current = await checkHealth();
        expect(current.body.components?.[LOG_HEALTH_COMPONENT]?.detail).toMatch(/new edits are refused/);
        return current;
      });
      expect(answer.status).toBe(503);

      // Hold the writer off until what was accepted is stored, to compare the two exactly.
      writer.provider.disconnect();
      await pg.start();
      await eventually(async () => expect(server.collab.registry.unsavedLog()).toEqual({ updates: 0, bytes: 0, full: false }), 30_000);
      const stored = await storedDoc(db, ref);
      expect(bodyText(stored)).toBe(serverText);
      expect(sameState(stored, room.doc)).toBe(true);

      // The writer's browser kept the refused edits; they are taken now.
      writer.provider.connect();
      await eventually(() => {
        expect(writer.text()).toBe(reader.text());
        for (const token of [...accepted, refused!, ...after]) expect(occurrences(reader.text(), token), token).toBe(1);
      }, 20_000);
      await eventually(async () => expect(bodyText(await storedDoc(db, ref))).toBe(writer.text()), 20_000);
    },
    TEST_TIMEOUT,
  );
});
