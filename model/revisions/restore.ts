import { getSchema } from "@tiptap/core";
import { updateYFragment } from "@tiptap/y-tiptap";
import { equalityDeep } from "lib0/function";
import * as Y from "yjs";
import { bodyFragment, bodyToJson } from "../article-doc";
import { articleExtensions } from "../editor-extensions";
import {
  anchorPositionsAt,
  anchorTextResolver,
  findQuote,
  NESTED_MAPS,
  readThread,
  readThreadRaw,
  threadsMap,
  type Anchor,
} from "../review";
import { loadDoc } from "./load";

type Resolver = ReturnType<typeof anchorTextResolver>;

let schema: ReturnType<typeof getSchema> | undefined;
const articleSchema = () => (schema ??= getSchema(articleExtensions));

/** FNV-1a over some bytes, continuing from `hash`. */
function fnv1a(hash: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193) >>> 0;
  return hash;
}

/**
 * The Yjs client id the restore writes as. It is derived from the inputs instead of drawn at random so
 * that the same restore computed twice gives the same update (applying it twice is then harmless), and
 * it avoids every client either state already holds, since reusing one would make Yjs drop structs.
 */
function restoreClientId(salt: number, states: Uint8Array[], taken: Y.Doc[]): number {
  let id = states.reduce(fnv1a, (0x811c9dc5 ^ salt) >>> 0);
  while (taken.some((doc) => doc.store.clients.has(id))) id = (id + 1) >>> 0;
  return id;
}

/** Runs `change` as one transaction on `doc` and returns the update it made, or null if it changed nothing. */
function capture(doc: Y.Doc, change: () => void): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on("update", record);
  try {
    doc.transact(change);
  } finally {
    doc.off("update", record);
  }
  return updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

/** Makes a Y.Map hold exactly `entries` (JSON values), writing only the keys that differ. */
function syncEntries(map: Y.Map<unknown>, entries: Record<string, unknown>): void {
  for (const key of [...map.keys()]) if (!(key in entries)) map.delete(key);
  for (const [key, value] of Object.entries(entries)) if (!equalityDeep(map.get(key), value)) map.set(key, value);
}

function filledMap(entries: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(entries)) map.set(key, value);
  return map;
}

/** Makes a thread's Y.Map hold `raw` (a thread as `readThreadRaw` gives it), keeping what is already equal so concurrent edits of other parts survive. */
function syncThread(map: Y.Map<unknown>, raw: Record<string, unknown>): void {
  for (const key of [...map.keys()]) if (!(key in raw)) map.delete(key);
  for (const [key, value] of Object.entries(raw)) {
    const entries = value as Record<string, unknown>;
    if (!(NESTED_MAPS as readonly string[]).includes(key)) {
      if (!equalityDeep(map.get(key), value)) map.set(key, value);
      continue;
    }
    const nested = map.get(key);
    if (nested instanceof Y.Map) syncEntries(nested, entries);
    else map.set(key, filledMap(entries));
  }
}

function newThreadMap(raw: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(raw)) map.set(key, (NESTED_MAPS as readonly string[]).includes(key) ? filledMap(value as Record<string, unknown>) : value);
  return map;
}

/**
 * The anchor a thread needs in the restored body: its own when it still covers the passage it covered
 * in the target; otherwise new positions on the same passage. A restore re-inserts deleted text as new
 * characters, so anchors that stuck to the old ones would be orphans. The restored text equals the
 * target's, so the passage sits at the same offsets; the quote is the fallback should it not.
 */
function restoredAnchor(anchor: Anchor, restored: Y.Doc, resolveTarget: Resolver, resolveRestored: Resolver): Anchor {
  const was = resolveTarget(anchor);
  if (!was) return anchor;
  const now = resolveRestored(anchor);
  if (now && now.text === was.text) return anchor;
  for (const range of [was, findQuote(restored, { ...anchor.quote, exact: was.text }, was.from)]) {
    const positions = range && anchorPositionsAt(restored, range.from, range.to);
    if (positions && resolveRestored({ ...anchor, ...positions })?.text === was.text) return { ...anchor, ...positions };
  }
  return anchor;
}

/**
 * The Yjs updates that take the two rooms from `current` back to `target` in content, as new
 * operations (history only moves forward). The body is rewritten with y-tiptap's `updateYFragment`,
 * which keeps every unchanged paragraph and character and retypes only what differs. The review room
 * gets each thread the target has, written key by key where it differs, and loses the threads the
 * target lacks; threads whose passage the body restore re-inserted are re-anchored onto it. Either
 * update is null when its room already matches. Applying them to a room that moved on concurrently
 * still converges, as any Yjs updates do.
 */
export function computeRestore(
  current: { body: Uint8Array; review: Uint8Array },
  target: { body: Uint8Array; review: Uint8Array },
): { body: Uint8Array | null; review: Uint8Array | null } {
  const docs = {
    body: loadDoc(current.body),
    review: loadDoc(current.review),
    targetBody: loadDoc(target.body),
    targetReview: loadDoc(target.review),
  };
  try {
    const { body, review, targetBody, targetReview } = docs;
    const states = [current.body, current.review, target.body, target.review];
    body.clientID = restoreClientId(1, states, [body, targetBody]);
    review.clientID = restoreClientId(2, states, [review, targetReview]);

    // Compared as ProseMirror nodes, which join adjacent text of the same marks as the editor would.
    const targetNode = articleSchema().nodeFromJSON(bodyToJson(targetBody));
    const bodyUpdate = articleSchema().nodeFromJSON(bodyToJson(body)).eq(targetNode)
      ? null
      : capture(body, () => updateYFragment(body, bodyFragment(body), targetNode, { mapping: new Map(), isOMark: new Map() }));

    const resolveTarget = anchorTextResolver(targetBody);
    const resolveRestored = anchorTextResolver(body);
    const wanted = new Map<string, Record<string, unknown>>();
    for (const [id, map] of threadsMap(targetReview).entries()) {
      const thread = readThread(targetReview, id);
      // The server never stores a malformed thread; one would read as absent, so it is left out.
      if (!thread || !(map instanceof Y.Map)) continue;
      const raw = readThreadRaw(map);
      const anchor = restoredAnchor(thread.anchor, body, resolveTarget, resolveRestored);
      wanted.set(id, anchor === thread.anchor ? raw : { ...raw, anchor });
    }
    const reviewUpdate = capture(review, () => {
      const threads = threadsMap(review);
      for (const id of [...threads.keys()]) if (!wanted.has(id)) threads.delete(id);
      for (const [id, raw] of wanted) {
        const map = threads.get(id);
        if (map instanceof Y.Map) syncThread(map, raw);
        else threads.set(id, newThreadMap(raw));
      }
    });
    return { body: bodyUpdate, review: reviewUpdate };
  } finally {
    Object.values(docs).forEach((doc) => doc.destroy());
  }
}
