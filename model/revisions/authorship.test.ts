import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buildAuthorship } from "./authorship";
import { ALICE, BOB, CAROL, Room, paragraphTextOf } from "./revisions.test-helpers";

/** The Yjs id of the character at `index` of paragraph 0 of the room's current document. */
function idAt(room: Room, index: number): { client: number; clock: number } {
  const text = paragraphTextOf(room.doc, 0);
  let left = index;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    if (left < item.length) return { client: item.id.client, clock: item.id.clock + left };
    left -= item.length;
  }
  throw new Error(`no character ${index}`);
}

describe("buildAuthorship", () => {
  it("credits a client's text to the user of the first row carrying it, and the server's seed to nobody", () => {
    const room = Room.body("Seeded.");
    const seedClient = idAt(room, 0).client;
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 0).insert(0, "A"));
    // The same session sends more later; a stray relay of its structs by someone else changes nothing.
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 0).insert(0, "B"));
    room.append(BOB, Y.encodeStateAsUpdate(room.doc));
    room.edit(BOB, 202, (doc) => paragraphTextOf(doc, 0).insert(0, "C"));
    const authorship = buildAuthorship(room.rows, { afterId: 0n, uptoId: room.position });
    expect(authorship.insertedBy(101)).toBe(ALICE);
    expect(authorship.insertedBy(202)).toBe(BOB);
    expect(authorship.insertedBy(seedClient)).toBeNull();
    expect(authorship.insertedBy(999)).toBeNull();
  });

  it("credits a deletion to the row that made it, within the window only", () => {
    const room = Room.body("abcdefghij");
    const ids = Array.from({ length: 10 }, (_, i) => idAt(room, i));
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 0).delete(0, 2)); // a b   (row 2)
    const afterFirst = room.position;
    room.edit(BOB, 202, (doc) => paragraphTextOf(doc, 0).delete(3, 3)); // f g h (row 3)
    room.edit(CAROL, 303, (doc) => paragraphTextOf(doc, 0).delete(0, 1)); // c (row 4)

    const all = buildAuthorship(room.rows, { afterId: 0n, uptoId: room.position });
    expect(ids.map((id) => all.deletedBy(id))).toEqual([ALICE, ALICE, CAROL, null, null, BOB, BOB, BOB, null, null]);

    const later = buildAuthorship(room.rows, { afterId: afterFirst, uptoId: room.position - 1n });
    expect(ids.map((id) => later.deletedBy(id))).toEqual([null, null, null, null, null, BOB, BOB, BOB, null, null]);
  });

  it("gives text two people deleted concurrently to the one whose row came first", () => {
    const room = Room.body("0123456789");
    const ids = Array.from({ length: 10 }, (_, i) => idAt(room, i));
    // Both editors start from the same state; neither saw the other's deletion.
    const base = room.state();
    const deleteIn = (clientId: number, from: number, length: number) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, base);
      doc.clientID = clientId;
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      paragraphTextOf(doc, 0).delete(from, length);
      return Y.mergeUpdates(updates);
    };
    const bobs = deleteIn(202, 2, 5); // 2..6
    const alices = deleteIn(101, 4, 5); // 4..8
    room.append(BOB, bobs);
    room.append(ALICE, alices);
    const authorship = buildAuthorship(room.rows, { afterId: 0n, uptoId: room.position });
    expect(ids.map((id) => authorship.deletedBy(id))).toEqual([null, null, BOB, BOB, BOB, BOB, BOB, ALICE, ALICE, null]);
  });
});
