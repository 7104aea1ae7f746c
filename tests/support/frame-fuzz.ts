import fc from "fast-check";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { bodyFragment } from "@/model/article-doc";
import { LIMITS } from "@/model/limits";
import { addMessage, createThread, updateClaim } from "@/model/review";
import { setSummaryRating, setTakeaway, summaryFragment } from "@/model/summary";
import type { RoomKind } from "@/model/rooms";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { anchorOn } from "./review";

/**
 * Generators of hostile y-websocket frames for fuzzing the collaboration server: random bytes, broken
 * varints, sync messages carrying corrupted Yjs updates, awareness floods and oversized frames. They
 * are fast-check arbitraries, so a run is replayed exactly from its seed.
 */

export type FrameKind =
  | "random-bytes"
  | "broken-varint"
  | "corrupted-update"
  | "valid-update"
  | "state-vector"
  | "awareness"
  | "bad-awareness"
  | "query-awareness"
  | "auth"
  | "text"
  | "oversized";

export interface FuzzFrame {
  kind: FrameKind;
  /** A string goes out as a text frame; everything else as a binary frame. */
  data: Uint8Array | string;
}

/** What frames for one room are made from. */
export interface FrameMaterial {
  /** Valid updates for the room (made against its state at the start): the starting point of mutations. */
  updates: Uint8Array[];
  /** State vectors: the room's own at the start, and some made up. */
  stateVectors: Uint8Array[];
  /** Awareness client ids of other people in the room, which an attacker may try to speak for. */
  foreignClientIds: number[];
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
const STEP_1 = 0;
const STEP_2 = 1;
const STEP_UPDATE = 2;

/** Integers at the edges of what lib0 and Yjs read: 32-bit and 53-bit limits and just past them. */
const EDGE_INTEGERS = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1] as const;

function bytes(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A y-websocket sync frame of the given step, carrying `payload` with its correct length. */
export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  return bytes((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** An awareness frame carrying `payload` (an awareness update) with its correct length. */
export function awarenessFrame(payload: Uint8Array): Uint8Array {
  return bytes((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** An awareness update payload; `state` is written as given (a string that is not JSON stays so). */
function awarenessPayload(entries: { clientId: number; clock: number; state: string }[]): Uint8Array {
  return bytes((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, entry.state);
    }
  });
}

/** A varint that never ends: every byte has its continuation bit set. */
const endlessVarint = fc.uint8Array({ minLength: 1, maxLength: 12 }).map((b) => b.map((x) => x | 0x80));

/** A varint written with needless continuation bytes (lib0 accepts them as long as the value fits). */
function overlongVarint(value: number, extra: number): Uint8Array {
  const plain = bytes((e) => encoding.writeVarUint(e, value));
  const out = new Uint8Array(plain.length + extra);
  out.set(plain);
  for (let i = 0; i < plain.length - 1 + extra; i++) out[i] = (out[i] ?? 0) | 0x80;
  return out;
}

/** A varint past 2^53, which lib0 must refuse rather than round. */
const hugeVarint = fc.integer({ min: 8, max: 11 }).map((n) => new Uint8Array([...Array.from({ length: n }, () => 0xff), 0x01]));

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** Frames whose varints are cut short, padded, or too large for what follows. */
const brokenVarintFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  // The message type never ends.
  endlessVarint,
  // A valid prefix, then a step or length that never ends.
  fc.tuple(fc.constantFrom([MESSAGE_SYNC], [MESSAGE_SYNC, STEP_2], [MESSAGE_SYNC, STEP_UPDATE], [MESSAGE_AWARENESS]), endlessVarint).map(([p, v]) => concat(new Uint8Array(p), v)),
  // A type or step written overlong, the rest valid or not.
  fc
    .tuple(fc.constantFrom(MESSAGE_SYNC, MESSAGE_AWARENESS, MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS), fc.integer({ min: 1, max: 8 }), fc.uint8Array({ maxLength: 16 }))
    .map(([type, extra, rest]) => concat(overlongVarint(type, extra), rest)),
  // Past 2^53 where the type, the step or the length is.
  fc.tuple(fc.constantFrom([], [MESSAGE_SYNC], [MESSAGE_SYNC, STEP_UPDATE], [MESSAGE_AWARENESS]), hugeVarint).map(([p, v]) => concat(new Uint8Array(p), v)),
  // A length that promises more (or fewer) bytes than follow.
  fc
    .tuple(
      fc.constantFrom([MESSAGE_SYNC, STEP_1], [MESSAGE_SYNC, STEP_2], [MESSAGE_SYNC, STEP_UPDATE], [MESSAGE_AWARENESS]),
      fc.oneof(fc.constantFrom(...EDGE_INTEGERS), fc.nat(64)),
      fc.uint8Array({ maxLength: 32 }),
    )
    .map(([p, length, rest]) => concat(new Uint8Array(p), bytes((e) => encoding.writeVarUint(e, length)), rest)),
  // An unknown type or sync step.
  fc.tuple(fc.integer({ min: 4, max: 2 ** 31 }), fc.uint8Array({ maxLength: 8 })).map(([type, rest]) => concat(bytes((e) => encoding.writeVarUint(e, type)), rest)),
  fc.tuple(fc.integer({ min: 3, max: 1_000 }), fc.uint8Array({ maxLength: 8 })).map(([step, rest]) => syncFrame(step, rest)),
);

type Mutation =
  | { op: "flip"; at: number; bit: number }[]
  | { op: "truncate"; at: number }
  | { op: "splice"; other: number; cut: number; from: number }
  | { op: "insert"; at: number; junk: Uint8Array }
  | { op: "overwrite"; at: number; value: number }
  | { op: "varint"; at: number; value: Uint8Array }
  | { op: "concat"; other: number }
  | { op: "duplicate"; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.array(fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }), { minLength: 1, maxLength: 4 }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("splice" as const), other: fc.nat(), cut: fc.nat(), from: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant("overwrite" as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x7f, 0x80, 0xff) }),
  fc.record({
    op: fc.constant("varint" as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(...EDGE_INTEGERS).map((v) => bytes((e) => encoding.writeVarUint(e, v))),
      hugeVarint,
    ),
  }),
  fc.record({ op: fc.constant("concat" as const), other: fc.nat() }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

/** Applies a mutation to a copy of `base`; `pool` supplies the second update of splices and concatenations. */
function mutate(base: Uint8Array, m: Mutation, pool: Uint8Array[]): Uint8Array {
  const at = (n: number, len = base.length) => (len === 0 ? 0 : n % (len + 1));
  if (Array.isArray(m)) {
    const out = base.slice();
    for (const flip of m) if (out.length) out[flip.at % out.length]! ^= 1 << flip.bit;
    return out;
  }
  const other = () => pool[(m as { other: number }).other % pool.length] ?? base;
  switch (m.op) {
    case "truncate":
      return base.slice(0, at(m.at) === base.length ? Math.max(0, base.length - 1) : at(m.at));
    case "splice": {
      const second = other();
      return concat(base.slice(0, at(m.cut)), second.slice(at(m.from, second.length)));
    }
    case "insert":
      return concat(base.slice(0, at(m.at)), m.junk, base.slice(at(m.at)));
    case "overwrite": {
      const out = base.slice();
      if (out.length) out[m.at % out.length] = m.value;
      return out;
    }
    case "varint":
      return concat(base.slice(0, at(m.at)), m.value, base.slice(Math.min(base.length, at(m.at) + m.value.length)));
    case "concat":
      return concat(base, other());
    case "duplicate": {
      const from = at(m.at);
      return concat(base.slice(0, from + m.length), base.slice(from));
    }
  }
}

/** Sync step 1 (a state vector), step 2 or update frames carrying updates and state vectors, mostly corrupted. */
function syncFrames(material: FrameMaterial): fc.Arbitrary<FuzzFrame> {
  const { updates, stateVectors } = material;
  const update = fc.nat(updates.length - 1).map((i) => updates[i]!);
  const corrupted = fc
    .tuple(fc.constantFrom(STEP_2, STEP_UPDATE), update, mutation)
    .map(([step, base, m]): FuzzFrame => ({ kind: "corrupted-update", data: syncFrame(step, mutate(base, m, updates)) }));
  const valid = fc.tuple(fc.constantFrom(STEP_2, STEP_UPDATE), update).map(([step, u]): FuzzFrame => ({ kind: "valid-update", data: syncFrame(step, u) }));
  const stateVector = fc
    .tuple(fc.nat(stateVectors.length - 1), fc.option(mutation, { freq: 2 }))
    .map(([i, m]): FuzzFrame => {
      const sv = stateVectors[i]!;
      return { kind: "state-vector", data: syncFrame(STEP_1, m ? mutate(sv, m, stateVectors) : sv) };
    });
  return fc.oneof({ weight: 6, arbitrary: corrupted }, { weight: 2, arbitrary: valid }, { weight: 2, arbitrary: stateVector });
}

/** A JSON object state of roughly `size` characters. */
function bigState(size: number, filler: string): string {
  return JSON.stringify({ cursor: null, note: filler.repeat(Math.max(1, Math.floor(size / filler.length))) });
}

/** Well-formed awareness frames: own, made-up and other people's client ids, odd clocks, odd and huge states. */
function awarenessFrames(material: FrameMaterial, ownIds: number[]): fc.Arbitrary<FuzzFrame> {
  const clientId = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ownIds) },
    { weight: 2, arbitrary: material.foreignClientIds.length ? fc.constantFrom(...material.foreignClientIds) : fc.nat() },
    { weight: 1, arbitrary: fc.constantFrom(...EDGE_INTEGERS) },
    { weight: 1, arbitrary: fc.nat() },
  );
  const clock = fc.oneof(fc.nat(50), fc.constantFrom(...EDGE_INTEGERS));
  const state = fc.oneof(
    { weight: 8, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: fc.constant("null") },
    { weight: 2, arbitrary: fc.constant(JSON.stringify({ user: { id: "someone-else", name: "Impostor", color: "#000", role: "owner" } })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 32_000 }), fc.string({ minLength: 1, maxLength: 4 })).map(([n, s]) => bigState(n, s || "x")) },
  );
  return fc
    .array(fc.record({ clientId, clock, state }), { minLength: 0, maxLength: 6 })
    .map((entries): FuzzFrame => ({ kind: "awareness", data: awarenessFrame(awarenessPayload(entries)) }));
}

/** One presence state just under the frame limit, in one- or two-byte characters. */
const hugeAwarenessFrame: fc.Arbitrary<FuzzFrame> = fc.tuple(fc.nat(), fc.boolean()).map(([clientId, wide]): FuzzFrame => {
  const room = LIMITS.wsMessageBytes - 4_096;
  const state = wide ? bigState(room / 2, "é") : bigState(room, "x");
  return { kind: "awareness", data: awarenessFrame(awarenessPayload([{ clientId, clock: 1, state }])) };
});

/** Awareness frames whose payload is not a valid awareness update. */
const badAwarenessFrame: fc.Arbitrary<FuzzFrame> = fc
  .oneof(
    fc.uint8Array({ maxLength: 48 }),
    fc
      .tuple(fc.nat(), fc.nat(), fc.constantFrom("[1,2]", "42", '"text"', "{", "not json", "", "\u0000", '{"a":1}{'))
      .map(([clientId, clock, state]) => awarenessPayload([{ clientId, clock, state }])),
    // More entries announced than written.
    fc.integer({ min: 2, max: 2 ** 31 }).map((count) => bytes((e) => encoding.writeVarUint(e, count))),
  )
  .map((payload): FuzzFrame => ({ kind: "bad-awareness", data: awarenessFrame(payload) }));

/** One of the odd-but-harmless frames: query-awareness, an auth frame, or either with trailing bytes. */
const smallProtocolFrame: fc.Arbitrary<FuzzFrame> = fc.oneof(
  fc.constant<FuzzFrame>({ kind: "query-awareness", data: new Uint8Array([MESSAGE_QUERY_AWARENESS]) }),
  fc.constant<FuzzFrame>({ kind: "auth", data: new Uint8Array([MESSAGE_AUTH]) }),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((rest): FuzzFrame => ({ kind: "auth", data: concat(new Uint8Array([MESSAGE_AUTH]), rest) })),
);

/** A frame over LIMITS.wsMessageBytes (but under ws's own backstop of twice that): a valid update frame or filler. */
const oversizedFrame: fc.Arbitrary<FuzzFrame> = fc
  .tuple(fc.integer({ min: LIMITS.wsMessageBytes + 1, max: LIMITS.wsMessageBytes * 2 - 64 }), fc.boolean(), fc.nat(255))
  .map(([size, framed, fill]): FuzzFrame => {
    const data = new Uint8Array(size).fill(fill);
    // A sync update header announcing exactly the bytes that follow, so only the size is wrong.
    if (framed) data.set(concat(new Uint8Array([MESSAGE_SYNC, STEP_UPDATE]), bytes((e) => encoding.writeVarUint(e, size - 5))));
    return { kind: "oversized", data };
  });

/** Frames that the server is expected to answer by closing the connection. */
function fatalFrames(): fc.Arbitrary<FuzzFrame> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 256 }).map((data): FuzzFrame => ({ kind: "random-bytes", data })) },
    { weight: 8, arbitrary: brokenVarintFrame.map((data): FuzzFrame => ({ kind: "broken-varint", data })) },
    { weight: 3, arbitrary: badAwarenessFrame },
    { weight: 1, arbitrary: fc.string({ maxLength: 32 }).map((data): FuzzFrame => ({ kind: "text", data })) },
    { weight: 1, arbitrary: oversizedFrame },
  );
}

/** `arbitrary` `weight` times in `weight + otherwise`, else null. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, weight: number, otherwise: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight, arbitrary }, { weight: otherwise, arbitrary: fc.constant(null) });
}

/**
 * One burst of frames for one connection: mostly frames the server may accept or refuse without
 * closing (awareness, sync messages, odd protocol frames), a flood of awareness updates now and then,
 * and every other burst one frame at the end that should close the connection. The burst's frames are sent
 * back to back, without waiting for answers.
 */
export function burstArbitrary(material: FrameMaterial, ownIds: number[]): fc.Arbitrary<FuzzFrame[]> {
  const awareness = awarenessFrames(material, ownIds);
  const survivable = fc.oneof(
    { weight: 5, arbitrary: syncFrames(material) },
    { weight: 4, arbitrary: awareness },
    { weight: 1, arbitrary: smallProtocolFrame },
  );
  // A flood: many small presence updates from one client id with rising clocks.
  const flood = fc
    .tuple(fc.constantFrom(...ownIds), fc.integer({ min: 20, max: 80 }), fc.nat(1_000))
    .map(([clientId, count, start]) =>
      Array.from({ length: count }, (_, i): FuzzFrame => ({
        kind: "awareness",
        data: awarenessFrame(awarenessPayload([{ clientId, clock: start + i + 1, state: JSON.stringify({ cursor: { anchor: i, head: i + 1 } }) }])),
      })),
    );
  return fc
    .tuple(
      fc.array(survivable, { minLength: 0, maxLength: 24 }),
      sometimes(flood, 1, 5),
      sometimes(hugeAwarenessFrame, 1, 59),
      sometimes(fatalFrames(), 1, 1),
    )
    .map(([frames, floodFrames, huge, fatal]) => [...frames, ...(floodFrames ?? []), ...(huge ? [huge] : []), ...(fatal ? [fatal] : [])]);
}

/** Burst `index` of a lane, the same for the same seed: frames are made lazily, a burst at a time. */
export function burstAt(arbitrary: fc.Arbitrary<FuzzFrame[]>, seed: number, index: number): FuzzFrame[] {
  return fc.sample(arbitrary, { seed: (seed + Math.imul(index + 1, 0x9e3779b1)) | 0, numRuns: 1 })[0]!;
}

// ---------------------------------------------------------------------------------------------------
// Material: valid updates for each kind of room
// ---------------------------------------------------------------------------------------------------

/** The update a change to a copy of `state` (made by a client with `clientId`) produces. */
function updateFrom(state: Uint8Array, clientId: number, change: (doc: Y.Doc) => void, prepare?: (doc: Y.Doc) => void): Uint8Array | undefined {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  prepare?.(doc);
  Y.applyUpdate(doc, state);
  const before = Y.encodeStateVector(doc);
  try {
    change(doc);
  } catch {
    // The random change did not fit this document (say, nothing to delete); skip it.
  }
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update.byteLength > 2 ? update : undefined;
}

/** A second change on top of a first one from the same client: it depends on the first, which the server lacks. */
function dependentUpdate(state: Uint8Array, clientId: number, first: (doc: Y.Doc) => void, second: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  Y.applyUpdate(doc, state);
  first(doc);
  const middle = Y.encodeStateVector(doc);
  second(doc);
  const update = Y.encodeStateAsUpdate(doc, middle);
  doc.destroy();
  return update;
}

function bodyChange(random: () => number): (doc: Y.Doc) => void {
  const word = `w${Math.floor(random() * 1e6)} `;
  const pick = random();
  return (doc) => {
    const fragment = bodyFragment(doc);
    const paragraph = fragment.get(Math.floor(random() * fragment.length));
    const text = paragraph instanceof Y.XmlElement ? paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText) : undefined;
    if (pick < 0.4 && text) text.insert(Math.floor(random() * text.length), word);
    else if (pick < 0.6 && text && text.length > 2) text.delete(Math.floor(random() * (text.length - 1)), 1 + Math.floor(random() * 3));
    else if (pick < 0.75 && text && text.length > 2) text.format(0, Math.min(text.length, 5), { bold: true });
    else if (pick < 0.9) {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(word)]);
      fragment.insert(Math.floor(random() * (fragment.length + 1)), [p]);
    } else {
      // Not the editor's schema, but a valid Yjs change: the body room does not check its shape.
      doc.getMap("stray").set(word, random());
    }
  };
}

/** Client ids for made-up writers: random ones, and the edge values that Yjs must still handle. */
function writerIds(random: () => number, count: number): number[] {
  return [...Array.from({ length: count }, () => 1 + Math.floor(random() * 0xfffffff0)), 0, 2 ** 31 - 1, 2 ** 32 - 1];
}

/**
 * Valid updates for a room of `kind` whose state is `state`: independent changes by made-up clients,
 * changes that depend on earlier ones the server never saw, and (for `review` and `summary`) the
 * room's own operations written as `actorId`. Mutations start from these.
 */
export function updatesFor(params: { kind: RoomKind; state: Uint8Array; body: Y.Doc; actorId: string; phrase: string; random: () => number; count?: number }): Uint8Array[] {
  const { kind, state, random } = params;
  const count = params.count ?? 40;
  const ids = writerIds(random, count);
  const out: Uint8Array[] = [];
  const changeFor = (i: number): ((doc: Y.Doc) => void) => {
    if (kind === "body") return bodyChange(random);
    if (kind === "summary") {
      const choice = i % 3;
      const takeaway = `Takeaway ${i}`;
      const rating = DEFAULT_VERDICT_SCALE[i % DEFAULT_VERDICT_SCALE.length]!.key;
      if (choice === 0) return (doc) => setTakeaway(doc, { by: params.actorId, takeaway });
      if (choice === 1) return (doc) => setSummaryRating(doc, { by: params.actorId, rating });
      return (doc) => {
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(`Summary line ${i}.`)]);
        summaryFragment(doc).insert(0, [p]);
      };
    }
    const anchor = anchorOn(params.body, params.phrase);
    return (doc) => {
      const id = createThread(doc, {
        kind: i % 2 ? "claim" : "comment",
        anchor,
        by: params.actorId,
        message: { body: `Thread ${i}`, mentions: [] },
        claim: i % 2 ? { claimant: "The minister" } : undefined,
      });
      if (i % 3 === 0) addMessage(doc, id, { by: params.actorId, body: `Reply ${i}`, mentions: [] });
      if (i % 2 && i % 4 === 1) updateClaim(doc, id, { by: params.actorId, patch: { state: "researching" } });
    };
  };
  for (let i = 0; i < count; i++) {
    const update = updateFrom(state, ids[i % ids.length]!, changeFor(i));
    if (update) out.push(update);
    if (i % 5 === 0) out.push(dependentUpdate(state, ids[(i + 1) % ids.length]!, changeFor(i + 1000), changeFor(i + 2000)));
  }
  // A state as a whole, as a reconnecting client's sync step 2 might carry it.
  out.push(state);
  return out;
}

/** The room's state vector, an empty one, and made-up ones with edge-value clients and clocks. */
export function stateVectorsFor(doc: Y.Doc): Uint8Array[] {
  const own = Y.encodeStateVector(doc);
  const madeUp = (entries: [number, number][]) =>
    bytes((e) => {
      encoding.writeVarUint(e, entries.length);
      for (const [client, clock] of entries) {
        encoding.writeVarUint(e, client);
        encoding.writeVarUint(e, clock);
      }
    });
  return [own, new Uint8Array([0]), madeUp([[0, 2 ** 53 - 1]]), madeUp([[2 ** 32 - 1, 0], [1, 1]]), madeUp([[doc.clientID, 2 ** 31]])];
}
