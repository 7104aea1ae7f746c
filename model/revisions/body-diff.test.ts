import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bodyFragment } from "../article-doc";
import { buildAuthorship } from "./authorship";
import { compareBodies } from "./body-diff";
import { ALICE, BOB, Room, offsetIn, paragraphOf, paragraphTextOf } from "./revisions.test-helpers";

const ARTICLE = "The minister said unemployment fell last year.\n\nMore than 16,000 fighters travelled to the region.\n\nA third paragraph closes it.";

/** Compares two positions of one body room, with authorship from its log between them. */
function compare(room: Room, from: { state: Uint8Array; at: bigint }, to: { state: Uint8Array; at: bigint }) {
  return compareBodies(from.state, to.state, buildAuthorship(room.rows, { afterId: from.at, uptoId: to.at }));
}
const snap = (room: Room) => ({ state: room.state(), at: room.position });

describe("compareBodies", () => {
  it("shows typed words as inserted by their author and a deleted paragraph as deleted by whoever deleted it", () => {
    const room = Room.body(ARTICLE);
    const before = snap(room);
    room.edit(ALICE, 101, (doc) => {
      const text = paragraphTextOf(doc, 0);
      text.insert(offsetIn(doc, 0, " last year"), " sharply");
    });
    room.edit(BOB, 202, (doc) => bodyFragment(doc).delete(1, 1));
    const result = compare(room, before, snap(room));

    expect(result.paragraphs).toEqual([
      {
        status: "changed",
        segments: [
          { kind: "same", text: "The minister said unemployment fell" },
          { kind: "insert", text: " sharply", by: ALICE },
          { kind: "same", text: " last year." },
        ],
      },
      { status: "deleted", segments: [{ kind: "delete", text: "More than 16,000 fighters travelled to the region.", by: BOB }] },
      { status: "same", segments: [{ kind: "same", text: "A third paragraph closes it." }] },
    ]);
    expect(result.wordsAdded).toBe(1);
    expect(result.wordsRemoved).toBe(8);
  });

  it("matches characters by identity: retyping a word is a deletion and an insertion, even of the same text", () => {
    const room = Room.body("Crime fell by 40 percent.");
    const before = snap(room);
    room.edit(ALICE, 101, (doc) => {
      const text = paragraphTextOf(doc, 0);
      const at = offsetIn(doc, 0, "fell");
      text.delete(at, 4);
      text.insert(at, "rose");
    });
    room.edit(BOB, 202, (doc) => {
      const text = paragraphTextOf(doc, 0);
      const at = offsetIn(doc, 0, "40");
      text.delete(at, 2);
      text.insert(at, "40");
    });
    const result = compare(room, before, snap(room));
    expect(result.paragraphs).toEqual([
      {
        status: "changed",
        segments: [
          { kind: "same", text: "Crime " },
          { kind: "delete", text: "fell", by: ALICE },
          { kind: "insert", text: "rose", by: ALICE },
          { kind: "same", text: " by " },
          { kind: "delete", text: "40", by: BOB },
          { kind: "insert", text: "40", by: BOB },
          { kind: "same", text: " percent." },
        ],
      },
    ]);
    expect(result).toMatchObject({ wordsAdded: 2, wordsRemoved: 2 });
  });

  it("credits each author's part of a shared passage and leaves out text typed and deleted in between", () => {
    const room = Room.body("Alpha beta.");
    const before = snap(room);
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 0).insert(5, " one two"));
    room.edit(BOB, 202, (doc) => paragraphTextOf(doc, 0).insert(13, " three"));
    // Alice removes "one " again: it is in neither revision.
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 0).delete(6, 4));
    const result = compare(room, before, snap(room));
    expect(result.paragraphs[0]!.segments).toEqual([
      { kind: "same", text: "Alpha" },
      { kind: "insert", text: " two", by: ALICE },
      { kind: "insert", text: " three", by: BOB },
      { kind: "same", text: " beta." },
    ]);
    expect(result).toMatchObject({ wordsAdded: 2, wordsRemoved: 0 });
  });

  it("shows a new paragraph as inserted and a joined paragraph's words moving into the first", () => {
    const room = Room.body("First part.\n\nSecond part.");
    const before = snap(room);
    // What the editor binding does on a join: the second paragraph goes, its text is retyped into the first.
    room.edit(BOB, 202, (doc) => {
      paragraphTextOf(doc, 0).insert("First part.".length, " Second part.");
      bodyFragment(doc).delete(1, 1);
    });
    room.edit(ALICE, 101, (doc) => bodyFragment(doc).insert(1, [paragraphOf("A new ending.")]));
    const result = compare(room, before, snap(room));
    expect(result.paragraphs).toEqual([
      { status: "changed", segments: [{ kind: "same", text: "First part." }, { kind: "insert", text: " Second part.", by: BOB }] },
      { status: "deleted", segments: [{ kind: "delete", text: "Second part.", by: BOB }] },
      { status: "inserted", segments: [{ kind: "insert", text: "A new ending.", by: ALICE }] },
    ]);
    expect(result).toMatchObject({ wordsAdded: 5, wordsRemoved: 2 });
  });

  it("treats formatting as no change and a line break as a character", () => {
    const room = Room.body("Crime rose sharply.");
    const before = snap(room);
    room.edit(ALICE, 101, (doc) => {
      paragraphTextOf(doc, 0).format(6, 4, { bold: {} });
      const paragraph = bodyFragment(doc).get(0) as Y.XmlElement;
      paragraph.insert(1, [new Y.XmlElement("hardBreak"), new Y.XmlText("Then fell.")]);
    });
    const result = compare(room, before, snap(room));
    expect(result.paragraphs).toEqual([
      { status: "changed", segments: [{ kind: "same", text: "Crime rose sharply." }, { kind: "insert", text: "\nThen fell.", by: ALICE }] },
    ]);
    expect(result).toMatchObject({ wordsAdded: 2, wordsRemoved: 0 });
  });

  it("reports nothing between equal states, and mirrors the result when compared the other way", () => {
    const room = Room.body(ARTICLE);
    const before = snap(room);
    expect(compare(room, before, before)).toMatchObject({ wordsAdded: 0, wordsRemoved: 0 });
    expect(compare(room, before, before).paragraphs.every((p) => p.status === "same")).toBe(true);
    room.edit(ALICE, 101, (doc) => paragraphTextOf(doc, 2).insert(0, "Finally, "));
    const after = snap(room);
    const backwards = compareBodies(after.state, before.state, buildAuthorship(room.rows, { afterId: 0n, uptoId: 0n }));
    expect(backwards.paragraphs[2]).toEqual({
      status: "changed",
      segments: [
        { kind: "delete", text: "Finally, ", by: null },
        { kind: "same", text: "A third paragraph closes it." },
      ],
    });
    expect(backwards).toMatchObject({ wordsAdded: 0, wordsRemoved: 1 });
  });

  it("credits text seeded by the server to nobody", () => {
    const empty = Room.body("");
    const room = Room.body("Imported text.");
    const result = compareBodies(empty.state(), room.state(), buildAuthorship(room.rows, { afterId: 0n, uptoId: room.position }));
    // The two seeds are different documents, so every paragraph of each is its own.
    expect(result.paragraphs).toEqual([
      { status: "deleted", segments: [] },
      { status: "inserted", segments: [{ kind: "insert", text: "Imported text.", by: null }] },
    ]);
  });
});
