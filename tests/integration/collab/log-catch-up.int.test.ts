import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendUpdates, countRoomUpdates, type RoomRef } from "@/db/queries/documents";
import { announceAppended } from "@/lib/room-bus";
import { createDesk, type TestDesk } from "../../support/api";
import {
  appendParagraph,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  freePort,
  startCollab,
  startCollabProcess,
  storedDoc,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;
let second: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Catch-up Desk");
  server = await startCollab({ db: app.db });
  second = await startCollab({ db: app.db });
});

afterAll(async () => {
  await Promise.all([server?.close(), second?.close()]);
});

describe("rows appended to the log by someone else (a restore)", () => {
  it("reach the clients of every server that holds the room, live, and are not stored twice", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "First paragraph." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const clients: TestClient[] = [];
    try {
      clients.push(await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor, role: "editor" }));
      clients.push(await connectClient({ serverUrl: second.serverUrl, articleId: article.id, user: desk.users.checker, role: "checker" }));

      // What the HTTP side of a restore does: build an update against the stored state, append it, announce it.
      const scratch = await storedDoc(app.db, ref);
      const before = Y.encodeStateVector(scratch);
      appendParagraph(scratch, "Brought back by a restore.");
      await appendUpdates(app.db, [{ ...ref, userId: desk.users.owner.id, update: Y.encodeStateAsUpdate(scratch, before) }]);
      const rowsAfterAppend = await countRoomUpdates(app.db, ref);
      await announceAppended(app.db, ref);

      for (const client of clients) await eventually(() => expect(client.text()).toContain("Brought back by a restore."));
      // The editor keeps typing on top of it (servers do not relay to each other before the Redis relay).
      appendParagraph(clients[0]!.doc, "Typed after the restore.");

      // Only the editor's new paragraph is written: the restore's row is not copied back into the log.
      await eventually(async () => expect(await countRoomUpdates(app.db, ref)).toBe(rowsAfterAppend + 1));
      await Promise.all([server.collab.registry.find(ref)?.flush(), second.collab.registry.find(ref)?.flush()]);
      expect(await countRoomUpdates(app.db, ref)).toBe(rowsAfterAppend + 1);
      const stored = await storedDoc(app.db, ref);
      expect(stored.getXmlFragment("default").toString()).toContain("Brought back by a restore.");
      expect(stored.getXmlFragment("default").toString()).toContain("Typed after the restore.");
    } finally {
      destroyAll(...clients);
    }
  });
});

// The embedded database belongs to one process, so only PostgreSQL has other processes to tell.
if (process.env.TEST_DB_KIND === "postgres") {
  describe("on PostgreSQL, across processes", () => {
    it("reach the clients of a separate collaboration process (LISTEN/NOTIFY)", async () => {
      const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Only paragraph." });
      const ref: RoomRef = { articleId: article.id, room: "body" };
      const proc = await startCollabProcess({ databaseUrl: app.url, secret: app.secret, port: await freePort(), embedded: false });
      let client: TestClient | undefined;
      try {
        client = await connectClient({ serverUrl: proc.serverUrl, articleId: article.id, user: desk.users.checker, role: "checker" });
        const scratch = await storedDoc(app.db, ref);
        const before = Y.encodeStateVector(scratch);
        appendParagraph(scratch, "Restored from another process.");
        await appendUpdates(app.db, [{ ...ref, userId: desk.users.owner.id, update: Y.encodeStateAsUpdate(scratch, before) }]);
        await announceAppended(app.db, ref);
        await eventually(() => expect(client!.text()).toContain("Restored from another process."));
      } finally {
        destroyAll(client);
        await proc.stop("SIGTERM");
      }
    }, 120_000);
  });
}
