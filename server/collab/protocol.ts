import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { PUBLICATION_CHANGED_MESSAGE } from "@/model/rooms";

/** The y-websocket message types. */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** A decoded client frame. Decoding never touches a document, so a bad frame changes nothing. */
export type ClientMessage =
  | { type: "sync-step-1"; stateVector: Uint8Array }
  | { type: "sync-step-2" | "update"; update: Uint8Array }
  | { type: "awareness"; update: Uint8Array }
  | { type: "query-awareness" }
  | { type: "auth" };

/** Decodes one frame; throws on anything malformed or unknown. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  let message: ClientMessage;
  switch (type) {
    case MESSAGE.sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) message = { type: "sync-step-1", stateVector: payload };
      else if (step === syncProtocol.messageYjsSyncStep2) message = { type: "sync-step-2", update: payload };
      else if (step === syncProtocol.messageYjsUpdate) message = { type: "update", update: payload };
      else throw new Error(`unknown sync step ${step}`);
      break;
    }
    case MESSAGE.awareness:
      message = { type: "awareness", update: decoding.readVarUint8Array(decoder) };
      break;
    case MESSAGE.queryAwareness:
      message = { type: "query-awareness" };
      break;
    case MESSAGE.auth:
      message = { type: "auth" };
      break;
    default:
      throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after message");
  return message;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: "here is my state vector, send me what I lack". */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

/** Sync step 2: the updates the other side lacks. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** A live document update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsUpdate);
    encoding.writeVarUint8Array(e, update);
  });
}

/** An awareness update for the given clients. */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });
}

/** The protocol's permission-denied answer, sent when a read-only connection tries to write. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MESSAGE.auth);
    encoding.writeVarUint(e, 0); // y-protocols/auth: messagePermissionDenied
    encoding.writeVarString(e, reason);
  });
}

/** Our own notice that the article's publication changed (model/rooms PUBLICATION_CHANGED_MESSAGE). */
export function encodePublicationChanged(): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, PUBLICATION_CHANGED_MESSAGE));
}

/** One entry of an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Decodes an awareness update payload; throws if malformed. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("awareness state must be an object");
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

/** Encodes awareness entries back into an update payload. */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
