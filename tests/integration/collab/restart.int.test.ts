import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { RoomRef } from "@/db/queries/documents";
import { CLOSE_CODES } from "@/model/close-codes";
import { createDesk, type TestDesk, type TestUser } from "../../support/api";
import {
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  freePort,
  insertToken,
  logAuthors,
  occurrences,
  sameState,
  seededRandom,
  signTicket,
  startCollabProcess,
  storedDoc,
  ticketFor,
  type CollabProcess,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

// The collaboration server runs here as a real child process (`server/collab-main.ts`), on this
// file's own database. The embedded database is one PGlite session behind a loopback socket, so
// while the child runs, this process leaves the database alone and checks it only once the child
// is gone.

const app = useTestApp();

let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "Restart Desk");
});

const PROCESS_TEST_TIMEOUT = 120_000;

function start(port: number): Promise<CollabProcess> {
  return startCollabProcess({ databaseUrl: app.url, secret: app.secret, port, embedded: app.embedded });
}

/** Edits a client's doc every few ms with unique tokens, remembering each one. */
function typist(client: TestClient, name: string, seed: number) {
  const random = seededRandom(seed);
  const made: string[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const token = `[${name}${n++}]`;
    insertToken(client.doc, token, random);
    made.push(token);
  }, 15);
  return { made, stop: () => clearInterval(timer) };
}

const tokenPattern = /\[[a-z]+\d+\]/g;

describe("the collaboration server as its own process", () => {
  it(
    "loses nothing when killed mid-edit: clients reconnect with fresh tickets after a restart on the same port",
    async () => {
      const original = "First paragraph of the crash article.\n\nSecond paragraph of it.";
      const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const port = await freePort();
      let proc: CollabProcess | undefined = await start(port);
      const clients: TestClient[] = [];
      const typists: ReturnType<typeof typist>[] = [];
      try {
        // First tickets that expire within 2–3 s: a reconnect after that works only with a fresh one.
        const expiresAt = new Date(Date.now() + 3_000);
        const shortLived = (user: TestUser) => {
          let first = true;
          return () => {
            if (!first) return ticketFor(user, article.id, "editor");
            first = false;
            return signTicket({ user, articleId: article.id, secret: app.secret, expiresAt });
          };
        };
        const serverUrl = proc.serverUrl;
        const a = await connectClient({ serverUrl, articleId: article.id, user: desk.users.editor, mint: shortLived(desk.users.editor) });
        const b = await connectClient({ serverUrl, articleId: article.id, user: desk.users.owner, mint: shortLived(desk.users.owner) });
        clients.push(a, b);
        expect(a.text()).toBe(original);
        const ta = typist(a, "a", 1);
        const tb = typist(b, "b", 2);
        typists.push(ta, tb);

        // Typing crosses over, and the first tickets have expired.
        await eventually(() => {
          expect(ta.made.length).toBeGreaterThan(20);
          expect(tb.made.length).toBeGreaterThan(20);
          expect(occurrences(b.text(), ta.made[10]!)).toBe(1);
          expect(occurrences(a.text(), tb.made[10]!)).toBe(1);
          expect(Date.now()).toBeGreaterThan(Math.floor(expiresAt.getTime() / 1000) * 1000 + 100);
        }, 15_000);

        // Kill it mid-edit. Whatever it had not written yet exists only in the clients now.
        const killed = await proc.stop("SIGKILL");
        expect(killed).toBe("SIGKILL");
        proc = undefined;
        const madeBeforeKill = [...ta.made, ...tb.made];
        const madeAtKill = { a: ta.made.length, b: tb.made.length };

        // The clients notice and keep typing offline.
        await eventually(() => {
          expect(a.provider.wsconnected || b.provider.wsconnected).toBe(false);
          expect(ta.made.length).toBeGreaterThan(madeAtKill.a + 10);
          expect(tb.made.length).toBeGreaterThan(madeAtKill.b + 10);
        }, 10_000);

        proc = await start(port);
        const madeAtRestart = { a: ta.made.length, b: tb.made.length };
        await eventually(() => {
          expect(a.provider.synced && b.provider.synced).toBe(true);
          expect(ta.made.length).toBeGreaterThan(madeAtRestart.a + 10);
          expect(tb.made.length).toBeGreaterThan(madeAtRestart.b + 10);
        }, 20_000);
        ta.stop();
        tb.stop();

        const all = [...ta.made, ...tb.made];
        await eventually(() => {
          expect(a.text()).toBe(b.text());
          expect(sameState(a.doc, b.doc)).toBe(true);
          for (const token of all) expect(occurrences(a.text(), token), token).toBe(1);
        }, 20_000);

        const fresh = await connectClient({ serverUrl: proc.serverUrl, articleId: article.id, user: desk.users.viewer });
        clients.push(fresh);
        for (const client of [a, b, fresh]) {
          const text = client.text();
          expect(text).toBe(a.text());
          for (const token of madeBeforeKill) expect(occurrences(text, token), `${token} in ${client.user.name}'s copy`).toBe(1);
          expect(text.replace(tokenPattern, "")).toBe(original);
        }
        expect(sameState(fresh.doc, a.doc)).toBe(true);

        // Each client saw the connection drop and came back with a ticket minted after the first.
        for (const client of [a, b]) {
          expect(client.closes.length).toBeGreaterThan(0);
          expect(client.tickets.length).toBeGreaterThan(1);
          expect(client.tickets.at(-1)).not.toBe(client.tickets[0]);
        }

        // An orderly stop writes everything, so the store now matches the clients exactly.
        const code = await proc.stop("SIGTERM");
        proc = undefined;
        expect(code).toBe(0);
        const stored = await storedDoc(app.db, ref);
        expect(bodyText(stored)).toBe(a.text());
        expect(sameState(stored, a.doc)).toBe(true);
        expect((await logAuthors(app.db, ref)).filter((id) => id === null)).toHaveLength(1);
      } finally {
        for (const t of typists) t.stop();
        destroyAll(...clients);
        await proc?.stop("SIGKILL");
      }
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    "on SIGTERM closes connections as a restart, writes everything and exits 0; a restarted server serves it unchanged",
    async () => {
      const original = "Orderly paragraph.";
      const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const port = await freePort();
      let proc: CollabProcess | undefined = await start(port);
      const clients: TestClient[] = [];
      try {
        const serverUrl = proc.serverUrl;
        const a = await connectClient({ serverUrl, articleId: article.id, user: desk.users.editor });
        const b = await connectClient({ serverUrl, articleId: article.id, user: desk.users.owner });
        clients.push(a, b);
        const ra = seededRandom(3);
        const rb = seededRandom(4);
        const tokens: string[] = [];
        for (let i = 0; i < 60; i++) {
          insertToken(a.doc, `[a${i}]`, ra);
          insertToken(b.doc, `[b${i}]`, rb);
          tokens.push(`[a${i}]`, `[b${i}]`);
          if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
        }
        await eventually(() => {
          expect(a.text()).toBe(b.text());
          for (const token of tokens) expect(occurrences(a.text(), token), token).toBe(1);
        });
        // The server holds it all: a newcomer receives exactly this.
        const check = await connectClient({ serverUrl, articleId: article.id, user: desk.users.viewer });
        clients.push(check);
        expect(check.text()).toBe(a.text());
        // A last edit, sent just before the stop: still inside its flush window when SIGTERM arrives.
        insertToken(a.doc, "[last0]", ra);
        await eventually(() => expect(occurrences(b.text(), "[last0]")).toBe(1));
        const expected = a.text();
        const expectedDoc = new Y.Doc();
        Y.applyUpdate(expectedDoc, Y.encodeStateAsUpdate(a.doc));

        const code = await proc.stop("SIGTERM");
        proc = undefined;
        expect(code).toBe(0);
        await eventually(() => expect(a.closes.map((c) => c.code)).toContain(CLOSE_CODES.serverRestart));

        const stored = await storedDoc(app.db, ref);
        expect(bodyText(stored)).toBe(expected);
        expect(sameState(stored, expectedDoc)).toBe(true);
        const authors = new Set(await logAuthors(app.db, ref));
        expect(authors).toEqual(new Set([null, desk.users.editor.id, desk.users.owner.id]));

        // Back on the same port: the clients reconnect and nothing moves or doubles.
        proc = await start(port);
        await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true), 20_000);
        const late = await connectClient({ serverUrl: proc.serverUrl, articleId: article.id, user: desk.users.checker });
        clients.push(late);
        for (const client of [a, b, late]) expect(client.text()).toBe(expected);
      } finally {
        destroyAll(...clients);
        await proc?.stop("SIGKILL");
      }
    },
    PROCESS_TEST_TIMEOUT,
  );
});
