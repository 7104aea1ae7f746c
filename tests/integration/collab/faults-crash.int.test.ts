import { beforeAll, describe, expect, it } from "vitest";
import type { RoomRef } from "@/db/queries/documents";
import { createDesk, type TestDesk } from "../../support/api";
import {
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  freePort,
  insertToken,
  occurrences,
  sameState,
  seededRandom,
  startCollabProcess,
  storedDoc,
  type CollabProcess,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

// The collaboration server runs as a real child process (`server/collab-main.ts`) and is killed with
// SIGKILL while twenty writers type: nothing it had not yet written survives in the server, so every
// edit must come back from the clients. As in restart.int.test.ts, this process leaves the database
// alone while the child runs (the embedded database is one PGlite session) and reads it at the end.

const app = useTestApp();

let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "Crash Desk");
  // Every y-websocket provider in Node adds a process "exit" listener; twenty-one of them are expected.
  process.setMaxListeners(WRITERS + 10);
});

const WRITERS = 20;
const KILLS = 3;
/** One edit per writer this often: 20 writers make about 130 edits a second between them. */
const TYPE_EVERY_MS = 150;
/** Edits each writer makes in every phase (connected, offline, reconnected) before the next step. */
const EDITS_PER_PHASE = 4;

/** Writer i's name in its tokens: letters only, so that `[name123]` reads back unambiguously. */
function writerName(i: number): string {
  return `w${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`;
}

/** Edits a client's doc on a timer with unique tokens, remembering each one; can pause and resume. */
function typist(client: TestClient, name: string, seed: number) {
  const random = seededRandom(seed);
  const made: string[] = [];
  let n = 0;
  let delay: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(delay);
    clearInterval(timer);
  };
  const start = () => {
    stop();
    // Writers type out of step, as people do.
    delay = setTimeout(() => {
      timer = setInterval(() => {
        const token = `[${name}${n++}]`;
        insertToken(client.doc, token, random);
        made.push(token);
      }, TYPE_EVERY_MS);
    }, random() * TYPE_EVERY_MS);
  };
  start();
  return { made, start, stop };
}

describe("the collaboration server killed mid-edit", () => {
  it(
    `loses no edit of ${WRITERS} writers over ${KILLS} SIGKILLs in a row; clients and the stored state converge`,
    async () => {
      const original = "The first paragraph of the crash test.\n\nThe second one.\n\nAnd a third.";
      const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const port = await freePort();
      const start = () => startCollabProcess({ databaseUrl: app.url, secret: app.secret, port, embedded: app.embedded });
      let proc: CollabProcess | undefined = await start();
      const clients: TestClient[] = [];
      const typists: ReturnType<typeof typist>[] = [];
      try {
        const editors = [desk.users.editor, desk.users.owner];
        clients.push(
          ...(await Promise.all(
            Array.from({ length: WRITERS }, (_, i) => connectClient({ serverUrl: proc!.serverUrl, articleId: article.id, user: editors[i % editors.length]! })),
          )),
        );
        for (const [i, client] of clients.entries()) typists.push(typist(client, writerName(i), i + 1));
        const madeSince = (marks: number[]) => typists.every((t, i) => t.made.length >= marks[i]! + EDITS_PER_PHASE);
        const marks = () => typists.map((t) => t.made.length);
        const converged = (tokens: string[]) =>
          eventually(() => {
            const text = clients[0]!.text();
            for (const client of clients) expect(client.text(), client.user.name).toBe(text);
            for (const token of tokens) expect(occurrences(text, token), token).toBe(1);
          }, 30_000);

        for (let kill = 1; kill <= KILLS; kill++) {
          // Everyone's edits are flowing: the first writer sees a recent edit of the last, and back.
          const before = marks();
          await eventually(() => {
            expect(madeSince(before)).toBe(true);
            const first = typists[0]!.made;
            const last = typists.at(-1)!.made;
            expect(occurrences(clients.at(-1)!.text(), first[before[0]! + 1]!)).toBe(1);
            expect(occurrences(clients[0]!.text(), last[before.at(-1)! + 1]!)).toBe(1);
          }, 20_000);

          expect(await proc!.stop("SIGKILL"), `kill ${kill}`).toBe("SIGKILL");
          proc = undefined;

          // Every client notices, and keeps typing offline.
          const atKill = marks();
          await eventually(() => {
            for (const client of clients) expect(client.provider.wsconnected).toBe(false);
            expect(madeSince(atKill)).toBe(true);
          }, 20_000);

          proc = await start();
          const atRestart = marks();
          await eventually(() => {
            for (const client of clients) expect(client.provider.synced, client.user.name).toBe(true);
            expect(madeSince(atRestart)).toBe(true);
          }, 30_000);

          // A pause: every client converges on every edit made so far.
          for (const t of typists) t.stop();
          await converged(typists.flatMap((t) => t.made));
          // On PostgreSQL the store can be read while the server runs (the embedded database has one
          // session, which the server holds: it is read once the server has stopped, below).
          if (!app.embedded) {
            await eventually(async () => {
              const stored = await storedDoc(app.db, ref);
              expect(bodyText(stored)).toBe(clients[0]!.text());
              expect(sameState(stored, clients[0]!.doc)).toBe(true);
            }, 20_000);
          }
          if (kill < KILLS) for (const t of typists) t.start();
        }

        const all = typists.flatMap((t) => t.made);
        expect(all.length).toBeGreaterThan(WRITERS * EDITS_PER_PHASE * 3 * KILLS);
        await converged(all);
        const fresh = await connectClient({ serverUrl: proc.serverUrl, articleId: article.id, user: desk.users.viewer });
        clients.push(fresh);
        const expected = clients[0]!;
        expect(fresh.text()).toBe(expected.text());
        expect(sameState(fresh.doc, expected.doc)).toBe(true);
        for (const client of clients) expect(sameState(client.doc, expected.doc), client.user.name).toBe(true);

        // Stopped in order, the server has written everything the clients hold.
        expect(await proc.stop("SIGTERM")).toBe(0);
        proc = undefined;
        const stored = await storedDoc(app.db, ref);
        const storedText = bodyText(stored);
        expect(storedText).toBe(expected.text());
        expect(sameState(stored, expected.doc)).toBe(true);
        for (const token of all) expect(occurrences(storedText, token), token).toBe(1);
        expect(storedText.replace(/\[w[a-z]{2}\d+\]/g, "")).toBe(original);
      } finally {
        for (const t of typists) t.stop();
        destroyAll(...clients);
        await proc?.stop("SIGKILL");
      }
    },
    120_000,
  );
});
