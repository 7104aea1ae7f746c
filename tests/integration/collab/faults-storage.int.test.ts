import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { loadRoom, type RoomRef } from "@/db/queries/documents";
import { componentHealth } from "@/lib/health";
import { CLOSE_CODES, describeClose, FINAL_CLOSE_CODES } from "@/model/close-codes";
import { createPostgresRoomStore, type RoomStore } from "@/server/collab/persistence";
import { LOG_HEALTH_COMPONENT } from "@/server/collab/update-writer";
import { createDesk, type TestDesk } from "../../support/api";
import { bodyText, connectClient, createTextArticle, destroyAll, eventually, insertToken, occurrences, sameState, seededRandom, startCollab, storedDoc, typeUntilRefused, type CollabHarness, type TestClient } from "../../support/collab";
import { useTestApp } from "../../support/test-database";

// The store's failures are injected here, on both databases, so each path (a load, the log, a
// checkpoint) fails exactly when the test says. faults-database.int.test.ts stops a real PostgreSQL.

const app = useTestApp();

let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "Storage Faults Desk");
});

/** The PostgreSQL store, with each of its writes and loads switchable to fail. */
function flakyStore(): RoomStore & { failing: { load: boolean; append: boolean; checkpoint: boolean } } {
  const real = createPostgresRoomStore(app.db);
  const failing = { load: false, append: false, checkpoint: false };
  const refuse = (what: string) => Promise.reject(new Error(`injected failure: ${what}`));
  return {
    failing,
    load: (ref) => (failing.load ? refuse("load") : real.load(ref)),
    append: (rows) => (failing.append ? refuse("append") : real.append(rows)),
    touch: (ids) => real.touch(ids),
    checkpoint: (ref, state, upto) => (failing.checkpoint ? refuse("checkpoint") : real.checkpoint(ref, state, upto)),
    readAfter: (ref, after) => real.readAfter(ref, after),
  };
}

async function healthBody(): Promise<{ status: number; body: { status: string; components?: Record<string, { ok: boolean; detail?: string; metrics?: Record<string, number> }> } }> {
  const res = await health();
  return { status: res.status, body: (await res.json()) as never };
}

const clients: TestClient[] = [];
const harnesses: CollabHarness[] = [];

afterEach(async () => {
  destroyAll(...clients.splice(0));
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

describe("the close code for 'cannot save right now'", () => {
  it("is retryable and tells the user their edits are kept", () => {
    expect(CLOSE_CODES.storageUnavailable).toBe(4503);
    expect(FINAL_CLOSE_CODES.has(CLOSE_CODES.storageUnavailable)).toBe(false);
    expect(describeClose(CLOSE_CODES.storageUnavailable)).toBe(
      "Changes cannot be saved right now; they are kept in this browser and will be sent when the server recovers.",
    );
  });
});

describe("when the store fails", () => {
  it("closes a room that cannot be loaded with storageUnavailable, and the client gets in once it can", async () => {
    const store = flakyStore();
    const server = await startCollab({ db: app.db, store });
    harnesses.push(server);
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Load me later." });
    store.failing.load = true;
    const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor, waitForSync: false });
    clients.push(client);
    await eventually(() =>
      expect(client.closes).toContainEqual({ code: CLOSE_CODES.storageUnavailable, reason: "the document cannot be loaded right now" }),
    );
    expect(client.provider.synced).toBe(false);
    expect(await server.collab.registry.loaded()).toEqual([]);

    store.failing.load = false;
    await eventually(() => expect(client.provider.synced).toBe(true));
    expect(client.text()).toBe("Load me later.");
  });

  it("keeps unwritten updates, relays them, reports degraded, keeps the emptied room loaded, and stores everything once it can", async () => {
    const store = flakyStore();
    const server = await startCollab({ db: app.db, store, idleUnloadMs: 100 });
    harnesses.push(server);
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Kept in memory." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const a = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor });
    const b = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.owner });
    clients.push(a, b);

    store.failing.append = true;
    const random = seededRandom(7);
    const tokens: string[] = [];
    for (let i = 0; i < 30; i++) {
      const token = `[s${i}]`;
      insertToken(i % 2 ? a.doc : b.doc, token, random);
      tokens.push(token);
    }
    await eventually(() => {
      for (const token of tokens) expect(occurrences(a.text(), token) + occurrences(b.text(), token), token).toBe(2);
    });

    const degraded = await eventually(async () => {
      const answer = await healthBody();
      expect(answer.status).toBe(503);
      expect(answer.body.components?.[LOG_HEALTH_COMPONENT]?.ok).toBe(false);
      return answer;
    });
    expect(degraded.body).toMatchObject({ status: "degraded", database: { reachable: true } });
    const log = degraded.body.components![LOG_HEALTH_COMPONENT]!;
    expect(log.detail).toMatch(/^database unreachable, \d+ updates waiting/);
    expect(log.metrics?.pendingUpdates).toBeGreaterThan(0);
    expect(log.metrics?.pendingBytes).toBeGreaterThan(0);
    expect(log.metrics?.retryInMs).toBeGreaterThan(0);
    expect(server.collab.registry.unsavedLog()).toMatchObject({ full: false });
    expect(bodyText(await storedDoc(app.db, ref))).toBe("Kept in memory.");

    // Everyone leaves. The room is the only copy the server has, so it stays loaded past the idle time.
    const expected = a.text();
    const room = server.collab.registry.find(ref)!;
    a.destroy();
    b.destroy();
    await eventually(() => expect(room.peers.size).toBe(0));
    // Five idle periods pass: an empty room with nothing unsaved would be gone by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.collab.registry.find(ref)).toBe(room);

    store.failing.append = false;
    await eventually(async () => {
      const answer = await healthBody();
      expect(answer.status).toBe(200);
      expect(answer.body.components?.[LOG_HEALTH_COMPONENT]).toEqual({ ok: true });
    }, 20_000);
    const stored = await storedDoc(app.db, ref);
    expect(bodyText(stored)).toBe(expected);
    expect(sameState(stored, a.doc)).toBe(true);
    expect(server.collab.registry.unsavedLog()).toEqual({ updates: 0, bytes: 0, full: false });
    // Stored, so now it unloads.
    await eventually(() => expect(server.collab.registry.find(ref)).toBeUndefined());
  });

  it("refuses edits with storageUnavailable once the unsaved log is full, keeps readers, and takes the edits once it drains", async () => {
    const store = flakyStore();
    const server = await startCollab({ db: app.db, store, unsavedLogBytes: 600 });
    harnesses.push(server);
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Bounded." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const writer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor });
    const reader = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.viewer });
    clients.push(writer, reader);

    store.failing.append = true;
    const random = seededRandom(11);
    const { accepted, refused } = await typeUntilRefused({ writer, reader, prefix: "b", max: 200, seed: 11 });
    expect(refused).toBeDefined();
    expect(writer.closes[0]).toEqual({ code: CLOSE_CODES.storageUnavailable, reason: "the server cannot save changes right now" });
    // Hold the writer off, so the stored state can be checked before its waiting edits come back.
    writer.provider.disconnect();
    insertToken(writer.doc, "[late0]", random);

    const room = server.collab.registry.find(ref)!;
    expect(server.collab.registry.unsavedLog().full).toBe(true);
    expect(occurrences(bodyText(room.doc), refused!)).toBe(0);
    expect(reader.provider.wsconnected).toBe(true);
    expect(reader.closes).toEqual([]);
    await eventually(() => expect(reader.text()).toBe(bodyText(room.doc)));
    for (const token of accepted) expect(occurrences(reader.text(), token), token).toBe(1);
    const answer = await healthBody();
    expect(answer.body.components?.[LOG_HEALTH_COMPONENT]?.detail).toMatch(/new edits are refused/);

    // Back: exactly what was accepted is stored.
    store.failing.append = false;
    await eventually(async () => expect(server.collab.registry.unsavedLog()).toEqual({ updates: 0, bytes: 0, full: false }), 20_000);
    const stored = bodyText(await storedDoc(app.db, ref));
    expect(stored).toBe(bodyText(room.doc));
    for (const token of accepted) expect(occurrences(stored, token), token).toBe(1);
    expect(occurrences(stored, refused!)).toBe(0);

    // The writer comes back; the edits its browser kept are taken now.
    writer.provider.connect();
    await eventually(() => {
      expect(writer.text()).toBe(reader.text());
      for (const token of [...accepted, refused!, "[late0]"]) expect(occurrences(reader.text(), token), token).toBe(1);
    });
    await eventually(async () => expect(bodyText(await storedDoc(app.db, ref))).toBe(writer.text()));
  });

  it("loses nothing when checkpoints fail: the log keeps everything and a later checkpoint covers it", async () => {
    const store = flakyStore();
    const server = await startCollab({ db: app.db, store });
    harnesses.push(server);
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Checkpointed." });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const writer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor });
    clients.push(writer);
    const random = seededRandom(5);
    for (let i = 0; i < 20; i++) insertToken(writer.doc, `[k${i}]`, random);
    const room = server.collab.registry.find(ref)!;
    await eventually(() => expect(bodyText(room.doc)).toBe(writer.text()));
    await room.flush();

    store.failing.checkpoint = true;
    await room.compact();
    expect((await loadRoom(app.db, ref)).checkpoint).toBeUndefined();
    expect(bodyText(await storedDoc(app.db, ref))).toBe(writer.text());

    store.failing.checkpoint = false;
    await room.compact();
    const stored = await loadRoom(app.db, ref);
    expect(stored.checkpoint).toBeDefined();
    expect(stored.updates).toEqual([]);
    const rebuilt = await storedDoc(app.db, ref);
    expect(bodyText(rebuilt)).toBe(writer.text());
    expect(sameState(rebuilt, writer.doc)).toBe(true);
    expect(componentHealth()[LOG_HEALTH_COMPONENT]).toEqual({ ok: true });
  });
});
