import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RoomRef } from "@/db/queries/documents";
import { createDesk, type TestDesk } from "../../support/api";
import {
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertIntoParagraph,
  logAuthors,
  occurrences,
  sameState,
  startCollab,
  storedDoc,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

// Captured before any test fakes timers, for polling that must not move fake time.
const realSetTimeout = globalThis.setTimeout;

beforeAll(async () => {
  desk = await createDesk(app, "Persistence Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

async function newArticle(text: string): Promise<RoomRef> {
  const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text });
  return { articleId: article.id, room: "body" };
}

describe("the update log", () => {
  it("merges a burst of edits into one row per user per window, each recording its user", async () => {
    const ref = await newArticle("Burst target.");
    const clients: TestClient[] = [];
    try {
      const a = await connectClient({ serverUrl: server.serverUrl, articleId: ref.articleId, user: desk.users.editor });
      const b = await connectClient({ serverUrl: server.serverUrl, articleId: ref.articleId, user: desk.users.owner });
      clients.push(a, b);
      const before = (await logAuthors(app.db, ref)).length;
      expect(before).toBe(1); // the seed; connecting writes nothing

      // One client: 100 quick edits, each its own update message.
      for (let i = 0; i < 100; i++) insertIntoParagraph(a.doc, 0, 0, `<${i}>`);
      await eventually(async () => expect(occurrences(bodyText(await storedDoc(app.db, ref)), "<99>")).toBe(1), 10_000, 50);
      const afterOne = await logAuthors(app.db, ref);
      const burstRows = afterOne.slice(before);
      expect(burstRows.length).toBeGreaterThanOrEqual(1);
      expect(burstRows.length).toBeLessThanOrEqual(5);
      expect(new Set(burstRows)).toEqual(new Set([desk.users.editor.id]));
      expect(bodyText(await storedDoc(app.db, ref))).toBe(a.text());

      // Two clients at once: still a handful of rows, each with one author, both authors present.
      for (let i = 0; i < 50; i++) {
        insertIntoParagraph(a.doc, 0, 0, `{a${i}}`);
        insertIntoParagraph(b.doc, 0, 0, `{b${i}}`);
      }
      await eventually(() => expect(a.text()).toBe(b.text()));
      await eventually(async () => expect(bodyText(await storedDoc(app.db, ref))).toBe(a.text()), 10_000, 50);
      const pairRows = (await logAuthors(app.db, ref)).slice(afterOne.length);
      const perUser = (id: string) => pairRows.filter((r) => r === id).length;
      expect(perUser(desk.users.editor.id)).toBeGreaterThanOrEqual(1);
      expect(perUser(desk.users.editor.id)).toBeLessThanOrEqual(5);
      expect(perUser(desk.users.owner.id)).toBeGreaterThanOrEqual(1);
      expect(perUser(desk.users.owner.id)).toBeLessThanOrEqual(5);
      expect(pairRows.length).toBe(perUser(desk.users.editor.id) + perUser(desk.users.owner.id));
    } finally {
      destroyAll(...clients);
    }
  });

  it("flushes the log as soon as the last client leaves, without waiting for the window", async () => {
    const harness = await startCollab({ db: app.db });
    const ref = await newArticle("Leaving soon.");
    let client: TestClient | undefined;
    try {
      client = await connectClient({ serverUrl: harness.serverUrl, articleId: ref.articleId, user: desk.users.editor });
      const before = (await logAuthors(app.db, ref)).length;
      // With setTimeout faked, the flush window's timer can never fire: only the leave can write.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        insertIntoParagraph(client.doc, 0, 0, "LAST-WORDS ");
        client.destroy();
        const deadline = performance.now() + 10_000;
        let stored = "";
        while (performance.now() < deadline) {
          stored = bodyText(await storedDoc(app.db, ref));
          if (stored.includes("LAST-WORDS")) break;
          await new Promise((resolve) => realSetTimeout(resolve, 50));
        }
        expect(stored).toBe("LAST-WORDS Leaving soon.");
      } finally {
        vi.useRealTimers();
      }
      expect((await logAuthors(app.db, ref)).slice(before)).toEqual([desk.users.editor.id]);
    } finally {
      client?.destroy();
      await harness.close();
    }
  });

  it("unloads an idle room and reloads it with identical content", async () => {
    const harness = await startCollab({ db: app.db, idleUnloadMs: 150 });
    const ref = await newArticle("Idle paragraph.");
    const clients: TestClient[] = [];
    try {
      const first = await connectClient({ serverUrl: harness.serverUrl, articleId: ref.articleId, user: desk.users.editor });
      clients.push(first);
      for (let i = 0; i < 10; i++) insertIntoParagraph(first.doc, 0, 1_000, ` [${i}]`);
      const [loaded] = await harness.collab.registry.loaded();
      expect(loaded).toBeDefined();
      await eventually(() => expect(bodyText(loaded!.doc)).toBe(first.text()));
      const text = first.text();
      expect(text).toBe("Idle paragraph. [0] [1] [2] [3] [4] [5] [6] [7] [8] [9]");

      first.destroy();
      await eventually(async () => expect(await harness.collab.registry.loaded()).toEqual([]), 10_000, 25);

      const second = await connectClient({ serverUrl: harness.serverUrl, articleId: ref.articleId, user: desk.users.viewer });
      clients.push(second);
      expect(second.text()).toBe(text);
      expect(sameState(second.doc, first.doc)).toBe(true);
      const [reloaded] = await harness.collab.registry.loaded();
      expect(reloaded).toBeDefined();
      expect(reloaded).not.toBe(loaded);
      expect(sameState(reloaded!.doc, first.doc)).toBe(true);
      const stored = await storedDoc(app.db, ref);
      expect(bodyText(stored)).toBe(text);
      expect(sameState(stored, first.doc)).toBe(true);
    } finally {
      destroyAll(...clients);
      await harness.close();
    }
  });
});
