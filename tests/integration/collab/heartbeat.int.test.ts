import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createDesk, type TestDesk } from "../../support/api";
import { closeOf, createTextArticle, openedRaw, rawSocket, startCollab, ticketFor, type CollabHarness } from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();
const PING_INTERVAL_MS = 400;

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Heartbeat Desk");
  server = await startCollab({ db: app.db, pingIntervalMs: PING_INTERVAL_MS });
});

afterAll(async () => {
  await server?.close();
});

describe("the heartbeat", () => {
  it("drops a connection that stops answering pings, and keeps the ones that answer", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "A sleeping laptop." });
    const open = async (options?: WebSocket.ClientOptions) => {
      const ws = rawSocket(server.serverUrl, article.id, "body", await ticketFor(desk.users.viewer, article.id), options);
      await openedRaw(ws);
      return ws;
    };
    // A laptop gone to sleep: its socket is open but nothing answers.
    const asleep = await open({ autoPong: false });
    const awake = await Promise.all([open(), open(), open()]);
    try {
      let pinged = 0;
      asleep.on("ping", () => pinged++);
      const closed = await closeOf(asleep, 4 * PING_INTERVAL_MS);
      // Dropped without a closing handshake (it would not answer one either), after one unanswered ping.
      expect(closed.code).toBe(1006);
      expect(pinged).toBeGreaterThanOrEqual(1);
      // Those that answer stay, over several more rounds.
      await new Promise((resolve) => setTimeout(resolve, 3 * PING_INTERVAL_MS));
      expect(awake.map((ws) => ws.readyState)).toEqual(awake.map(() => WebSocket.OPEN));
    } finally {
      for (const ws of [asleep, ...awake]) ws.terminate();
    }
  });
});
