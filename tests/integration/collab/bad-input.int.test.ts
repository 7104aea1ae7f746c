import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import * as Y from "yjs";
import { bodyFragment } from "@/model/article-doc";
import { CLOSE_CODES, FINAL_CLOSE_CODES } from "@/model/close-codes";
import { LIMITS } from "@/model/limits";
import { createDesk, type TestDesk } from "../../support/api";
import {
  closeOf,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertIntoParagraph,
  openedRaw,
  rawSocket,
  startCollab,
  storedDoc,
  bodyText,
  ticketFor,
  updateFrame,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Bad Input Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

/** A y-websocket update frame inserting a paragraph of `chars` characters. */
function hugeUpdateFrame(chars: number): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText("x".repeat(chars))]);
  bodyFragment(doc).insert(0, [paragraph]);
  const frame = updateFrame(Y.encodeStateAsUpdate(doc));
  doc.destroy();
  return frame;
}

describe("bad frames", () => {
  it("closes only the offending connection (4400 malformed, 4413 oversized); everyone else carries on", async () => {
    const original = "A quiet paragraph.";
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
    const clients: TestClient[] = [];
    const sockets: WebSocket[] = [];
    try {
      const connect = (user: (typeof desk.users)["editor"]) => connectClient({ serverUrl: server.serverUrl, articleId: article.id, user });
      const a = await connect(desk.users.editor);
      const b = await connect(desk.users.owner);
      clients.push(a, b);
      const ticket = () => ticketFor(desk.users.editor, article.id, "editor");
      const offender = async () => {
        const ws = rawSocket(server.serverUrl, article.id, "body", await ticket());
        sockets.push(ws);
        await openedRaw(ws);
        return ws;
      };

      // Random bytes: the message type is a varint that never ends.
      const garbage = await offender();
      const garbageClosed = closeOf(garbage);
      garbage.send(Buffer.from([0xff, 0xff, 0xff]));
      const garbageClose = await garbageClosed;
      expect(garbageClose.code).toBe(CLOSE_CODES.malformed);
      expect(garbageClose.reason).not.toBe("");

      // A sync frame that announces more bytes than it carries.
      const truncated = await offender();
      const truncatedClosed = closeOf(truncated);
      truncated.send(Buffer.from([0, 2, 50, 1, 2, 3]));
      expect((await truncatedClosed).code).toBe(CLOSE_CODES.malformed);

      // A text frame: the protocol is binary only.
      const text = await offender();
      const textClosed = closeOf(text);
      text.send("hello");
      expect((await textClosed).code).toBe(CLOSE_CODES.malformed);

      // A well-formed update over the frame limit.
      const frame = hugeUpdateFrame(Math.ceil(LIMITS.wsMessageBytes * 1.1));
      expect(frame.byteLength).toBeGreaterThan(LIMITS.wsMessageBytes);
      const big = await offender();
      const bigClosed = closeOf(big);
      big.send(frame);
      const bigClose = await bigClosed;
      expect(bigClose.code).toBe(CLOSE_CODES.messageTooLarge);
      expect(bigClose.reason).not.toBe("");

      // Beyond the websocket library's backstop (twice the limit) the library closes first, with
      // 1009; the browser treats it as final, like our own 4413.
      const huge = await offender();
      const hugeClosed = closeOf(huge);
      huge.send(hugeUpdateFrame(LIMITS.wsMessageBytes * 2 + 1024));
      expect((await hugeClosed).code).toBe(CLOSE_CODES.frameTooBig);
      expect(FINAL_CLOSE_CODES.has(CLOSE_CODES.frameTooBig)).toBe(true);

      // The others were not disturbed and keep editing and converging.
      expect(a.closes).toEqual([]);
      expect(b.closes).toEqual([]);
      expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
      for (let i = 0; i < 20; i++) {
        insertIntoParagraph(a.doc, 0, 0, `a${i} `);
        insertIntoParagraph(b.doc, 0, 1_000, ` b${i}`);
      }
      await eventually(() => {
        expect(a.text()).toBe(b.text());
        expect(a.text()).toContain("a19 ");
        expect(a.text()).toContain(" b19");
      });
      // Nothing of the refused frames got in.
      expect(a.text().length).toBeLessThan(1_000);
      expect(a.text().replace(/a\d+ | b\d+/g, "")).toBe(original);

      // The server is still up: a newcomer connects and gets the same text, and so does the store.
      const late = await connect(desk.users.viewer);
      clients.push(late);
      expect(late.text()).toBe(a.text());
      await eventually(async () => expect(bodyText(await storedDoc(app.db, { articleId: article.id, room: "body" }))).toBe(a.text()), 10_000, 100);
    } finally {
      for (const ws of sockets) ws.terminate();
      destroyAll(...clients);
    }
  });
});
