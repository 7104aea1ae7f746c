import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bodyFragment, bodyToJson } from "../article-doc";
import { anchorIn } from "../review/review.test-helpers";
import { createThread } from "../review";
import { deriveRevisionContent } from "./content";
import { ALICE, BOB, Room, offsetIn, paragraphTextOf } from "./revisions.test-helpers";

describe("deriveRevisionContent", () => {
  it("gives the text, the ProseMirror JSON and the threads in document order, orphans last", () => {
    const body = Room.body("The minister said unemployment fell.\n\nMore than 16,000 fighters travelled.");
    const review = Room.review();
    const on = (p: number, phrase: string) => {
      const from = offsetIn(body.doc, p, phrase);
      return anchorIn(paragraphTextOf(body.doc, p), from, from + phrase.length);
    };
    // Created in an order unlike the text's.
    const second = review.edit(ALICE, 11, (doc) => createThread(doc, { kind: "claim", anchor: on(1, "16,000 fighters"), by: ALICE }));
    const orphan = review.edit(BOB, 12, (doc) => createThread(doc, { kind: "comment", anchor: on(0, "minister"), by: BOB, message: { body: "Which one?", mentions: [] } }));
    const first = review.edit(ALICE, 11, (doc) => createThread(doc, { kind: "claim", anchor: on(0, "unemployment fell"), by: ALICE }));
    body.edit(BOB, 22, (doc) => paragraphTextOf(doc, 0).delete(offsetIn(doc, 0, "minister"), "minister".length));

    const content = deriveRevisionContent({ body: body.state(), review: review.state() });
    expect(content.text).toBe("The  said unemployment fell.\n\nMore than 16,000 fighters travelled.");
    expect(content.body).toEqual(bodyToJson(body.doc));
    expect(content.threads.map((t) => t.id)).toEqual([first, second, orphan]);
    expect(content.threads[2]).toMatchObject({ kind: "comment", createdBy: BOB });
  });

  it("handles an empty article and a review room without threads", () => {
    const content = deriveRevisionContent({ body: Room.body("").state(), review: Room.review().state() });
    expect(content).toEqual({ text: "", body: { type: "doc", content: [{ type: "paragraph" }] }, threads: [] });
  });

  it("reads a body with headings and line breaks the way the plain-text view does", () => {
    const doc = new Y.Doc();
    // y-tiptap stores the level as a number; Yjs types attributes as strings by default.
    const heading = new Y.XmlElement<Record<string, string | number>>("heading");
    heading.setAttribute("level", 2);
    heading.insert(0, [new Y.XmlText("Title")]);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("one"), new Y.XmlElement("hardBreak"), new Y.XmlText("two")]);
    bodyFragment(doc).insert(0, [heading as unknown as Y.XmlElement, paragraph]);
    const content = deriveRevisionContent({ body: Y.encodeStateAsUpdate(doc), review: Room.review().state() });
    expect(content.text).toBe("Title\n\none\ntwo");
  });
});
