import * as Y from "yjs";
import { REVIEW_SCHEMA_VERSION, threadSchema, type Thread } from "./schema";

/**
 * The `review` document:
 *   meta:    Y.Map { schemaVersion }                       written by the server only
 *   threads: Y.Map<threadId, Y.Map> with keys
 *              id, kind, createdBy, createdAt, anchor (JSON), resolved, resolvedBy, resolvedAt,
 *              messages: Y.Map<messageId, Message JSON>,
 *              claim:    Y.Map<field, value>              claims only
 *              evidence: Y.Map<evidenceId, Evidence JSON> claims only
 * Whole entities that only their author changes (messages, evidence, anchors) are JSON values; claim
 * fields are separate keys so that concurrent edits of different fields merge.
 */
export const REVIEW_ROOTS = { meta: "meta", threads: "threads" } as const;
export const NESTED_MAPS = ["messages", "claim", "evidence"] as const;

/** The map of threads. */
export function threadsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(REVIEW_ROOTS.threads);
}

/** The document's meta map (schema version). */
export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(REVIEW_ROOTS.meta);
}

/** The schema version stored in the document, if any. */
export function reviewSchemaVersion(doc: Y.Doc): number | undefined {
  const v = metaMap(doc).get("schemaVersion");
  return typeof v === "number" ? v : undefined;
}

/** The Yjs update that stamps a new `review` document with its schema version (server only). */
export function encodeReviewSeed(): Uint8Array {
  const doc = new Y.Doc();
  metaMap(doc).set("schemaVersion", REVIEW_SCHEMA_VERSION);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * A thread's Y.Map as plain JSON, keeping every key it holds (so a strict schema sees unknown ones)
 * and marking nested values of the wrong Yjs type so that they fail validation instead of passing
 * as look-alike JSON.
 */
export function readThreadRaw(map: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of map.entries()) {
    if ((NESTED_MAPS as readonly string[]).includes(key)) out[key] = value instanceof Y.Map ? Object.fromEntries(value.entries()) : { "!": "not a Y.Map" };
    else out[key] = value instanceof Y.AbstractType ? { "!": "unexpected Yjs type" } : value;
  }
  return out;
}

/** One thread as a validated plain object, or undefined if absent or malformed. */
export function readThread(doc: Y.Doc, threadId: string): Thread | undefined {
  const map = threadsMap(doc).get(threadId);
  if (!(map instanceof Y.Map)) return undefined;
  const parsed = threadSchema.safeParse(readThreadRaw(map));
  return parsed.success && parsed.data.id === threadId ? parsed.data : undefined;
}

/** Every well-formed thread, as plain objects. Malformed ones (which the server never lets in) are skipped. */
export function readThreads(doc: Y.Doc): Thread[] {
  return [...threadsMap(doc).keys()].flatMap((id) => readThread(doc, id) ?? []);
}
