import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { readDemoArticle } from "@/db/seed/demo-desk";
import type { RoomRef } from "@/db/queries/documents";
import { docToPlainText, plainTextToDoc } from "@/model/editor-extensions";
import { colourFor } from "@/model/person-colour";
import { createDesk, type TestDesk } from "../../support/api";
import {
  bodyText,
  connectClient,
  createTextArticle,
  destroyAll,
  eventually,
  insertToken,
  logAuthors,
  occurrences,
  openedRaw,
  rawSocket,
  sameState,
  seededRandom,
  startCollab,
  storedDoc,
  ticketFor,
  type CollabHarness,
  type TestClient,
} from "../../support/collab";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Sync Desk");
  server = await startCollab({ db: app.db });
});

afterAll(async () => {
  await server?.close();
});

describe("body seeding", () => {
  it("seeds the body from the imported article exactly once, even when clients arrive together on two servers", async () => {
    const demo = await readDemoArticle();
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, title: demo.title, text: demo.body });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    const expected = docToPlainText(plainTextToDoc(demo.body));
    expect(expected.length).toBeGreaterThan(1_000);

    // A second server on the same database: both load the empty room at the same moment.
    const second = await startCollab({ db: app.db });
    const clients: TestClient[] = [];
    try {
      clients.push(
        ...(await Promise.all([
          connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor }),
          connectClient({ serverUrl: second.serverUrl, articleId: article.id, user: desk.users.owner }),
          connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.viewer }),
          connectClient({ serverUrl: second.serverUrl, articleId: article.id, user: desk.users.checker }),
        ])),
      );
      for (const client of clients) expect(client.text()).toBe(expected);
      // The seed is the server's own row (no user), written once.
      expect((await logAuthors(app.db, ref)).filter((id) => id === null)).toHaveLength(1);
      expect(bodyText(await storedDoc(app.db, ref))).toBe(expected);
    } finally {
      destroyAll(...clients);
      await second.close();
    }
    // Loading again (a new server, the room unloaded everywhere) does not seed again.
    const third = await startCollab({ db: app.db });
    try {
      const late = await connectClient({ serverUrl: third.serverUrl, articleId: article.id, user: desk.users.commenter });
      expect(late.text()).toBe(expected);
      late.destroy();
    } finally {
      await third.close();
    }
    expect((await logAuthors(app.db, ref)).filter((id) => id === null)).toHaveLength(1);
  });
});

describe("convergence", () => {
  it("converges two editors after 500 interleaved edits; a late client and the stored log agree", async () => {
    const original = "Alpha paragraph about budgets.\n\nBeta paragraph about jobs.\n\nGamma paragraph about prices.";
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
    const ref: RoomRef = { articleId: article.id, room: "body" };
    let a: TestClient | undefined;
    let b: TestClient | undefined;
    let late: TestClient | undefined;
    try {
      a = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor });
      b = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.owner });
      const random = seededRandom(500);
      const tokens: string[] = [];
      for (let i = 0; i < 500; i++) {
        const [client, name] = i % 2 === 0 ? [a, "a"] : [b, "b"];
        const token = `[${name}${i}]`;
        insertToken(client.doc, token, random);
        tokens.push(token);
        // Let the network run now and then, so that edits cross in flight rather than queue up.
        if (random() < 0.08) await new Promise((resolve) => setImmediate(resolve));
      }

      const [ca, cb] = [a, b];
      await eventually(() => {
        expect(cb.text()).toBe(ca.text());
        expect(sameState(ca.doc, cb.doc)).toBe(true);
      }, 20_000);
      const text = a.text();
      for (const token of tokens) expect(occurrences(text, token), token).toBe(1);
      // Take the tokens out again and the original text is back, unharmed.
      expect(text.replace(/\[[ab]\d+\]/g, "")).toBe(original);

      late = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.viewer });
      expect(late.text()).toBe(text);
      expect(sameState(late.doc, a.doc)).toBe(true);

      // What is stored (checkpoint + log, rebuilt in a fresh doc) is the same document.
      await eventually(async () => {
        const stored = await storedDoc(app.db, ref);
        expect(bodyText(stored)).toBe(text);
        expect(sameState(stored, ca.doc)).toBe(true);
      }, 10_000, 100);
      const authors = await logAuthors(app.db, ref);
      expect(new Set(authors)).toEqual(new Set([null, desk.users.editor.id, desk.users.owner.id]));
    } finally {
      destroyAll(a, b, late);
    }
  });
});

describe("awareness", () => {
  it("shows everyone with their verified identity, whatever they claim, and marks viewers read-only", async () => {
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Presence." });
    let spoofer: TestClient | undefined;
    let viewer: TestClient | undefined;
    let observer: TestClient | undefined;
    let raw: WebSocket | undefined;
    try {
      const fake = { name: "Somebody Else", id: desk.users.owner.id, color: "#000000", role: "owner", readOnly: false };
      const spooferDoc = new Y.Doc();
      spoofer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor, doc: spooferDoc, waitForSync: false });
      spoofer.provider.awareness.setLocalStateField("user", fake);
      spoofer.provider.awareness.setLocalStateField("cursor", { anchor: 3 });
      viewer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.viewer });
      viewer.provider.awareness.setLocalStateField("user", { name: "Editor In Chief", id: desk.users.owner.id, readOnly: false, role: "owner" });
      observer = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.checker });

      const [s, v, o] = [spoofer, viewer, observer];
      await eventually(() => {
        const states = o.provider.awareness.getStates();
        expect(states.get(s.doc.clientID)).toEqual({
          user: { id: desk.users.editor.id, name: desk.users.editor.name, color: colourFor(desk.users.editor.id), role: "editor", readOnly: false, guest: false },
          cursor: { anchor: 3 },
        });
        expect(states.get(v.doc.clientID)).toEqual({
          user: { id: desk.users.viewer.id, name: desk.users.viewer.name, color: colourFor(desk.users.viewer.id), role: "viewer", readOnly: true, guest: false },
        });
      });

      // A later claim is rewritten too, while the rest of the state goes through.
      spoofer.provider.awareness.setLocalStateField("user", { ...fake, name: "Yet Another Name" });
      spoofer.provider.awareness.setLocalStateField("cursor", { anchor: 7 });
      await eventually(() => {
        const state = o.provider.awareness.getStates().get(s.doc.clientID);
        expect(state?.cursor).toEqual({ anchor: 7 });
        expect(state?.user).toMatchObject({ id: desk.users.editor.id, name: desk.users.editor.name });
      });

      // Nobody may speak for another connection's client id: a raw socket claims the viewer's id.
      raw = rawSocket(server.serverUrl, article.id, "body", await ticketFor(desk.users.editor, article.id, "editor"));
      await openedRaw(raw);
      const hijackDoc = new Y.Doc();
      hijackDoc.clientID = viewer.doc.clientID;
      const hijack = new awarenessProtocol.Awareness(hijackDoc);
      hijack.setLocalState({ cursor: { anchor: 999 }, hijacked: true });
      // A high clock, so that it would win if it were applied.
      const meta = hijack.meta.get(hijack.clientID);
      if (meta) meta.clock = 10_000;
      const own = new awarenessProtocol.Awareness(new Y.Doc());
      own.setLocalState({ marker: "raw-own-state" });
      for (const a of [hijack, own]) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]));
        raw.send(encoding.toUint8Array(encoder));
      }
      await eventually(() => {
        const states = o.provider.awareness.getStates();
        expect(states.get(own.clientID)).toMatchObject({ marker: "raw-own-state", user: { id: desk.users.editor.id } });
      });
      expect(o.provider.awareness.getStates().get(v.doc.clientID)).toEqual({
        user: { id: desk.users.viewer.id, name: desk.users.viewer.name, color: colourFor(desk.users.viewer.id), role: "viewer", readOnly: true, guest: false },
      });
      hijack.destroy();
      own.destroy();
    } finally {
      raw?.terminate();
      destroyAll(spoofer, viewer, observer);
    }
  });
});
