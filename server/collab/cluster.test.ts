import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { missingFromStored } from "./cluster";

describe("what the log lacks of a document", () => {
  it("is exactly the structs and deletions the stored state does not hold", () => {
    const doc = new Y.Doc();
    const text = doc.getText("t");
    text.insert(0, "hello world");
    const stored = Y.encodeStateAsUpdate(doc);
    text.insert(5, ",");
    text.delete(0, 1);

    const missing = missingFromStored(stored, doc)!;
    expect(missing).toBeDefined();
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, stored);
    Y.applyUpdate(rebuilt, missing);
    expect(rebuilt.getText("t").toString()).toBe("ello, world");
    // The stored structs are not repeated: only the comma is new.
    expect(Y.decodeUpdate(missing).structs.reduce((n, s) => n + s.length, 0)).toBe(1);
  });

  it("is nothing when the log holds it all", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "all stored");
    expect(missingFromStored(Y.encodeStateAsUpdate(doc), doc)).toBeUndefined();
  });
});
