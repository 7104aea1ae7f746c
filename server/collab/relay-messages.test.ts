import { describe, expect, it } from "vitest";
import { decodePresenceMessage, encodePresenceMessage, entryFields, parseEntry, type RelayEntry } from "./relay-messages";

/** What Redis hands back for the fields of an entry: every value as bytes. */
function asStored(fields: Record<string, string | Buffer>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]));
}

const USER = "0b6f8a52-7d4e-4f0e-9a51-3a2c7e1f0d11";

describe("relay stream entries", () => {
  const update = new Uint8Array([1, 2, 0, 255]);
  const cases: RelayEntry[] = [
    { type: "update", origin: "server-a", seq: 1, userId: USER, update },
    { type: "update", origin: "server-a", seq: 2, userId: null, update },
    { type: "stored", origin: "server-b", seq: 7, update },
    { type: "sync", origin: "server-c", seq: 3, stateVector: new Uint8Array([0]) },
    { type: "approvals", origin: "server-a", seq: 4, userId: USER, approvals: [{ action: "claim.approve", threadId: "t1", quote: "q", verdict: "false" }] },
  ];

  it.each(cases)("round-trips a $type entry", (entry) => {
    const parsed = parseEntry(asStored(entryFields(entry)));
    expect(parsed).toEqual({ ...entry, ...("update" in entry ? { update: expect.any(Uint8Array) } : {}) });
    if (parsed && "update" in parsed && "update" in entry) expect([...parsed.update]).toEqual([...entry.update]);
  });

  it("refuses entries that are not ours", () => {
    expect(parseEntry(asStored({ t: "x", o: "a", q: "1", d: "z" }))).toBeUndefined();
    expect(parseEntry(asStored({ t: "u", o: "a", q: "0", d: "z" }))).toBeUndefined();
    expect(parseEntry(asStored({ t: "u", o: "a", q: "1", u: "not-a-uuid", d: "z" }))).toBeUndefined();
    expect(parseEntry(asStored({ t: "u", o: "a", q: "1" }))).toBeUndefined();
    expect(parseEntry(asStored({ t: "a", o: "a", q: "1", u: USER, d: "{not json" }))).toBeUndefined();
    expect(parseEntry(asStored({ t: "a", o: "a", q: "1", u: USER, d: JSON.stringify([{ action: "claim.delete" }]) }))).toBeUndefined();
  });
});

describe("presence messages", () => {
  it("round-trip", () => {
    const update = new Uint8Array([5, 6, 7]);
    const states = decodePresenceMessage(encodePresenceMessage({ kind: "states", origin: "s1", update }));
    expect(states.kind === "states" && [...states.update]).toEqual([5, 6, 7]);
    expect(decodePresenceMessage(encodePresenceMessage({ kind: "query", origin: "s2" }))).toEqual({ kind: "query", origin: "s2" });
    expect(() => decodePresenceMessage(new Uint8Array([1, 65, 9]))).toThrow();
  });
});
