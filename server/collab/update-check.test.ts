import { getSchema } from "@tiptap/core";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bodyFragment, bodyToJson, encodeBodySeed } from "@/model/article-doc";
import { articleExtensions, plainTextToDoc, type ProseMirrorJson } from "@/model/editor-extensions";
import type { RoomKind } from "@/model/rooms";
import { checkUpdate } from "./update-check";

/** The refusal reason, "wait", or undefined when the update may be applied. */
function updateProblem(kind: RoomKind, doc: Y.Doc, update: Uint8Array): string | undefined {
  const check = checkUpdate(kind, doc, update);
  return check.verdict === "refuse" ? check.reason : check.verdict === "wait" ? "wait" : undefined;
}

const RICH: ProseMirrorJson = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "A heading" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Bold", marks: [{ type: "bold" }] },
        { type: "hardBreak" },
        { type: "text", text: "a link", marks: [{ type: "link", attrs: { href: "https://example.org" } }] },
      ],
    },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "item" }] }] }] },
    { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "quoted" }] }] },
  ],
};

/** A server document holding `content`, and a client that has synced it. */
function synced(content: ProseMirrorJson = plainTextToDoc("First paragraph.\n\nSecond paragraph.")): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  Y.applyUpdate(server, encodeBodySeed(content));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** The update `change` makes on the client. */
function edit(client: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(client);
  change(client);
  return Y.encodeStateAsUpdate(client, before);
}

function firstText(doc: Y.Doc, index = 0): Y.XmlText {
  const paragraph = bodyFragment(doc).get(index) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

describe("checkUpdate: what the editor writes passes", () => {
  it("accepts whole documents as the editor's schema builds them, on an empty server and on one that has them", () => {
    for (const content of [RICH, plainTextToDoc("One.\nA line break.\n\nTwo.")]) {
      const doc = new Y.Doc();
      prosemirrorJSONToYXmlFragment(getSchema(articleExtensions), content, bodyFragment(doc));
      const update = Y.encodeStateAsUpdate(doc);
      expect(updateProblem("body", new Y.Doc(), update)).toBeUndefined();
      const { server } = synced(content);
      expect(updateProblem("body", server, Y.encodeStateAsUpdate(server))).toBeUndefined();
      expect(updateProblem("summary", new Y.Doc(), update)).toBeUndefined();
    }
  });

  it("accepts typing, deleting, marks, attributes and new blocks", () => {
    const { server, client } = synced(RICH);
    const changes: ((doc: Y.Doc) => void)[] = [
      (doc) => firstText(doc, 1).insert(2, "typed"),
      (doc) => firstText(doc, 1).delete(0, 2),
      (doc) => firstText(doc, 1).format(0, 3, { italic: {} }),
      (doc) => firstText(doc, 1).format(0, 3, { "bold--abcdEF12": {} }),
      (doc) => (bodyFragment(doc).get(0) as Y.XmlElement).setAttribute("level", "3"),
      (doc) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText("new"), new Y.XmlElement("hardBreak")]);
        bodyFragment(doc).insert(1, [paragraph]);
      },
      (doc) => bodyFragment(doc).delete(0, 1),
    ];
    for (const change of changes) {
      const update = edit(client, change);
      expect(updateProblem("body", server, update)).toBeUndefined();
      Y.applyUpdate(server, update);
    }
    expect(bodyToJson(server)).toEqual(bodyToJson(client));
  });

  it("accepts typing into a paragraph someone else deleted meanwhile (Yjs drops it)", () => {
    const { server, client } = synced();
    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(server, edit(deleter, (doc) => bodyFragment(doc).delete(0, 1)));
    const typed = edit(client, (doc) => firstText(doc).insert(3, "late"));
    expect(updateProblem("body", server, typed)).toBeUndefined();
    Y.applyUpdate(server, typed);
    const added = edit(client, (doc) => (bodyFragment(doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("x")]));
    expect(updateProblem("body", server, added)).toBeUndefined();
  });

  it("leaves what lies beside the text alone (the summary's guard checks it), and the review room's shape to its guard", () => {
    const check = (kind: RoomKind, change: (doc: Y.Doc) => void) => {
      const { server, client } = synced();
      return updateProblem(kind, server, edit(client, change));
    };
    expect(check("summary", (doc) => doc.getMap("verdict").set("takeaway", "x"))).toBeUndefined();
    expect(check("summary", (doc) => doc.getMap("notes").set("k", new Y.Map([["nested", 1]])))).toBeUndefined();
    expect(check("body", (doc) => doc.getMap("provenance").set("author", new Y.Text("someone")))).toBeUndefined();
    expect(check("summary", (doc) => bodyFragment(doc).insert(0, [new Y.XmlText("loose")]))).toMatch(/editor cannot show/);
    expect(check("review", (doc) => doc.getMap("threads").set("t", "anything"))).toBeUndefined();
  });
});

describe("checkUpdate: strings PostgreSQL cannot store are refused in every room", () => {
  const nul = "a\u0000b";
  const cases: [string, RoomKind, (doc: Y.Doc) => void][] = [
    ["typed text", "body", (doc) => firstText(doc).insert(0, nul)],
    ["an attribute value", "body", (doc) => (bodyFragment(doc).get(0) as Y.XmlElement).setAttribute("textAlign", nul)],
    ["a mark's attributes", "summary", (doc) => firstText(doc).format(0, 2, { link: { href: nul } })],
    ["a value in the verdict map", "summary", (doc) => doc.getMap("verdict").set("takeaway", nul)],
    ["a nested JSON value", "review", (doc) => doc.getMap("threads").set("t", { anchor: { quote: { exact: nul } } })],
    ["an object key", "review", (doc) => doc.getMap("threads").set("t", { [nul]: 1 })],
    ["a map key", "review", (doc) => doc.getMap("threads").set(nul, 1)],
  ];
  it.each(cases)("refuses U+0000 in %s", (_label, kind, change) => {
    const { server, client } = synced();
    expect(updateProblem(kind, server, edit(client, change))).toMatch(/NUL character/);
  });

  it("accepts other unusual characters", () => {
    const { server, client } = synced();
    expect(updateProblem("body", server, edit(client, (doc) => firstText(doc).insert(0, "\u0001 \u200b 😀 \ufffd")))).toBeUndefined();
  });
});

describe("checkUpdate: what breaks the editor is refused", () => {
  const refused: [string, (doc: Y.Doc) => void][] = [
    ["a bare string in the fragment", (doc) => bodyFragment(doc).insert(0, ["text" as unknown as Y.XmlElement])],
    ["a map in the fragment", (doc) => bodyFragment(doc).insert(0, [new Y.Map() as unknown as Y.XmlElement])],
    ["text directly in the fragment", (doc) => bodyFragment(doc).insert(0, [new Y.XmlText("loose")])],
    ["an element outside the schema", (doc) => bodyFragment(doc).insert(0, [new Y.XmlElement("script")])],
    ["an element named text", (doc) => bodyFragment(doc).insert(0, [new Y.XmlElement("text")])],
    ["an unknown element inside a paragraph", (doc) => (bodyFragment(doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("iframe")])],
    ["a hook inside a paragraph", (doc) => (bodyFragment(doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlHook("hook") as unknown as Y.XmlElement])],
    ["an embed in text", (doc) => firstText(doc).insertEmbed(0, { image: "x" })],
    ["an unknown mark", (doc) => firstText(doc).format(0, 2, { blink: {} })],
  ];
  it.each(refused)("refuses %s", (_label, change) => {
    const { server, client } = synced();
    expect(updateProblem("body", server, edit(client, change))).toMatch(/editor cannot show/);
  });

  it("holds back an update whose neighbours or parents the server lacks", () => {
    const { server, client } = synced();
    const first = edit(client, (doc) => firstText(doc).insert(0, "first "));
    const second = edit(client, (doc) => firstText(doc).insert(6, "second "));
    expect(updateProblem("body", server, second)).toBe("wait");
    // It waits for exactly what it lacks: the six characters of "first " (clocks 0 to 5).
    expect(checkUpdate("body", server, second)).toEqual({ verdict: "wait", needs: new Map([[client.clientID, 6]]) });
    // Something misplaced is refused at once, even while the rest waits.
    const poisoned = Y.mergeUpdates([second, edit(client, (doc) => bodyFragment(doc).insert(0, [new Y.XmlText("loose")]))]);
    expect(updateProblem("body", server, poisoned)).toMatch(/editor cannot show/);
    Y.applyUpdate(server, first);
    expect(updateProblem("body", server, second)).toBeUndefined();
  });

  it("holds back a deleted item whose neighbour the server lacks (Yjs would park it like any other)", () => {
    const { server, client } = synced();
    const first = edit(client, (doc) => firstText(doc).insert(0, "first "));
    // Someone else, who has "first ", types after it and deletes that at once: their update carries
    // the item as deleted content, pointing at a neighbour the server lacks.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
    const typedAndGone = edit(other, (doc) => {
      firstText(doc).insert(6, "x");
      firstText(doc).delete(6, 1);
    });
    expect(Y.decodeUpdate(typedAndGone).structs.some((s) => s instanceof Y.Item && s.content instanceof Y.ContentDeleted)).toBe(true);
    expect(updateProblem("body", server, typedAndGone)).toBe("wait");
    Y.applyUpdate(server, first);
    expect(updateProblem("body", server, typedAndGone)).toBeUndefined();
  });

  it("holds back an update that starts after a gap, or deletes what the server never had, until they arrive", () => {
    const { server, client } = synced();
    edit(client, (doc) => bodyFragment(doc).insert(0, [new Y.XmlElement("paragraph")]));
    const afterGap = edit(client, (doc) => bodyFragment(doc).insert(0, [new Y.XmlElement("paragraph")]));
    expect(updateProblem("body", server, afterGap)).toBe("wait");
    const stranger = new Y.Doc();
    stranger.getText("t").insert(0, "unknown");
    stranger.getText("t").delete(0, 3);
    const deletes = new Y.Doc();
    Y.applyUpdate(deletes, Y.encodeStateAsUpdate(stranger));
    const onlyDeletions = Y.encodeStateAsUpdate(deletes, Y.encodeStateVector(deletes));
    expect(Y.decodeUpdate(onlyDeletions).ds.clients.size).toBe(1);
    expect(updateProblem("body", server, onlyDeletions)).toBe("wait");
    // The same deletions alongside the content they delete are fine.
    expect(updateProblem("body", server, Y.encodeStateAsUpdate(stranger))).toBeUndefined();
  });

  it("throws on an update it cannot decode", () => {
    expect(() => updateProblem("body", new Y.Doc(), new Uint8Array([1, 200, 3]))).toThrow();
  });
});
