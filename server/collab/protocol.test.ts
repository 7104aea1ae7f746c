import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  decodeAwarenessUpdate,
  decodeClientMessage,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MESSAGE,
} from "./protocol";

describe("decodeClientMessage", () => {
  it("reads back every sync message it encodes", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hello");
    const update = Y.encodeStateAsUpdate(doc);
    const sv = Y.encodeStateVector(doc);
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({ type: "sync-step-1", stateVector: sv });
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({ type: "sync-step-2", update });
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ type: "update", update });
  });

  it.each([
    ["empty", []],
    ["unknown type", [9]],
    ["unknown sync step", [MESSAGE.sync, 7, 0]],
    ["truncated payload", [MESSAGE.sync, 2, 50, 1, 2]],
    ["varint overflow", [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ])("throws on a %s frame", (_label, bytes) => {
    expect(() => decodeClientMessage(new Uint8Array(bytes))).toThrow();
  });

  it("throws on trailing bytes, so nothing can be smuggled after a valid message", () => {
    const valid = encodeUpdate(new Uint8Array([0, 0]));
    expect(() => decodeClientMessage(new Uint8Array([...valid, 1]))).toThrow();
  });
});

describe("awareness entries", () => {
  it("round-trips entries and refuses non-object states", () => {
    const entries = [
      { clientId: 7, clock: 3, state: { user: { name: "A" }, cursor: null } },
      { clientId: 8, clock: 1, state: null },
    ];
    expect(decodeAwarenessUpdate(encodeAwarenessEntries(entries))).toEqual(entries);
    const bad = encoding.createEncoder();
    encoding.writeVarUint(bad, 1);
    encoding.writeVarUint(bad, 1);
    encoding.writeVarUint(bad, 1);
    encoding.writeVarString(bad, "[1,2]");
    expect(() => decodeAwarenessUpdate(encoding.toUint8Array(bad))).toThrow();
  });
});

describe("encodePermissionDenied", () => {
  it("is the y-protocols auth message with its reason", () => {
    const bytes = encodePermissionDenied("no");
    expect(Array.from(bytes)).toEqual([MESSAGE.auth, 0, 2, "n".charCodeAt(0), "o".charCodeAt(0)]);
  });
});
