import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";
import type { ApprovalEvent } from "./guard";

/**
 * What collaboration servers tell each other through Redis. A room's stream carries, in order:
 * - `update`: an update a server's own client (or the server itself) made; the lease holder stores
 *   it as that user's row;
 * - `stored`: an update read back from the log (a restore), passed on so that no server misses it;
 *   it is already stored and must not be written again;
 * - `sync`: a server's state vector, asking every other server for what it lacks (after it loaded
 *   the room, reconnected to Redis, or saw a gap);
 * - `approvals`: the approvals given by an update that a server which does not write the log accepted,
 *   so that the lease holder records them once that update is stored.
 * Every entry names its server and carries that server's sequence number for the room, so that a
 * lost entry is noticed (a gap) instead of silently forking the room.
 */
export type RelayEntry = { origin: string; seq: number } & (
  | { type: "update"; userId: string | null; update: Uint8Array }
  | { type: "stored"; update: Uint8Array }
  | { type: "sync"; stateVector: Uint8Array }
  | { type: "approvals"; userId: string; approvals: ApprovalEvent[] }
);

const TYPE_CODES = { update: "u", stored: "l", sync: "s", approvals: "a" } as const;

/** The fields of a stream entry (XADD): short names, binary data as it is. */
export function entryFields(entry: RelayEntry): Record<string, string | Buffer> {
  const base = { t: TYPE_CODES[entry.type], o: entry.origin, q: String(entry.seq) };
  switch (entry.type) {
    case "update":
      return { ...base, u: entry.userId ?? "", d: asBuffer(entry.update) };
    case "stored":
      return { ...base, d: asBuffer(entry.update) };
    case "sync":
      return { ...base, d: asBuffer(entry.stateVector) };
    case "approvals":
      return { ...base, u: entry.userId, d: Buffer.from(JSON.stringify(entry.approvals)) };
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const approvalsSchema = z.array(
  z.object({
    action: z.enum(["claim.approve", "claim.send_back", "summary.approve", "summary.send_back"]),
    threadId: z.string().max(200).optional(),
    quote: z.string().max(10_000).optional(),
    verdict: z.string().max(200).nullable(),
  }),
);

const headerSchema = z.object({
  t: z.enum(["u", "l", "s", "a"]),
  o: z.string().min(1).max(64),
  q: z.coerce.number().int().positive(),
  u: z.union([z.literal(""), z.uuid()]).optional(),
});

/**
 * Reads a stream entry's fields; undefined when they do not make a valid entry (another version
 * of the server, or something else writing to the key), which the reader skips and logs.
 */
export function parseEntry(fields: Record<string, Buffer | string>): RelayEntry | undefined {
  const text = (name: string) => {
    const value = fields[name];
    return value === undefined ? undefined : value.toString();
  };
  const header = headerSchema.safeParse({ t: text("t"), o: text("o"), q: text("q"), u: text("u") });
  const data = fields.d;
  if (!header.success || data === undefined) return undefined;
  const bytes = typeof data === "string" ? Buffer.from(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const { t, o: origin, q: seq, u } = header.data;
  switch (t) {
    case "u":
      return { type: "update", origin, seq, userId: u || null, update: bytes };
    case "l":
      return { type: "stored", origin, seq, update: bytes };
    case "s":
      return { type: "sync", origin, seq, stateVector: bytes };
    case "a": {
      if (!u) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(bytes).toString("utf8"));
      } catch {
        return undefined;
      }
      const approvals = approvalsSchema.safeParse(json);
      return approvals.success ? { type: "approvals", origin, seq, userId: u, approvals: approvals.data } : undefined;
    }
  }
}

/**
 * What a room's presence channel carries (Redis pub/sub: a lost message is harmless, presence is
 * sent again whenever it changes and at least every 15 s by each client):
 * - `states`: an awareness update for client ids whose connections live on the sending server;
 * - `query`: a server that has just loaded the room (or reconnected) asks the others for theirs.
 */
export type PresenceMessage = { kind: "states"; origin: string; update: Uint8Array } | { kind: "query"; origin: string };

/** Encodes a presence message for PUBLISH. */
export function encodePresenceMessage(message: PresenceMessage): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, message.origin);
  encoding.writeVarUint(encoder, message.kind === "states" ? 0 : 1);
  if (message.kind === "states") encoding.writeVarUint8Array(encoder, message.update);
  return Buffer.from(encoding.toUint8Array(encoder));
}

/** Decodes a presence message; throws if it is malformed. */
export function decodePresenceMessage(data: Uint8Array): PresenceMessage {
  const decoder = decoding.createDecoder(data);
  const origin = decoding.readVarString(decoder);
  const kind = decoding.readVarUint(decoder);
  if (kind === 1) return { kind: "query", origin };
  if (kind !== 0) throw new Error(`unknown presence message kind ${kind}`);
  return { kind: "states", origin, update: decoding.readVarUint8Array(decoder) };
}
