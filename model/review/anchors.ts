import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";
import { bodyFragment } from "../article-doc";
import { REVIEW_LIMITS, type Anchor } from "./schema";

/** A relative position as stored in an anchor. */
export function encodePosition(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

/** A stored position, or undefined if it does not decode. */
export function decodePosition(encoded: string): Y.RelativePosition | undefined {
  try {
    const position = Y.decodeRelativePosition(fromBase64(encoded));
    // One that names no item, type or root points nowhere (and Yjs throws when asked to resolve it).
    return position.item || position.type || position.tname !== null ? position : undefined;
  } catch {
    return undefined;
  }
}

/** The quote selector for `from`–`to` in `text`: the exact passage and up to 32 characters either side. */
export function quoteSelector(text: string, from: number, to: number): Anchor["quote"] {
  const n = REVIEW_LIMITS.quoteContextChars;
  return {
    exact: text.slice(from, to).slice(0, REVIEW_LIMITS.quoteChars),
    prefix: text.slice(Math.max(0, from - n), from),
    suffix: text.slice(to, to + n),
  };
}

/** The article text as one string, with the offset where each text node starts. */
function linearise(doc: Y.Doc): { text: string; starts: Map<Y.XmlText, number> } {
  const starts = new Map<Y.XmlText, number>();
  let text = "";
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      starts.set(node, text.length);
      text += (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
      return;
    }
    node.toArray().forEach((child) => walk(child as Y.XmlElement | Y.XmlText));
    if (node instanceof Y.XmlElement) text += "\n";
  };
  walk(bodyFragment(doc));
  return { text, starts };
}

function offsetOf(doc: Y.Doc, encoded: string, starts: Map<Y.XmlText, number>): number | undefined {
  const rel = decodePosition(encoded);
  const abs = rel && Y.createAbsolutePositionFromRelativePosition(rel, doc);
  if (!abs || !(abs.type instanceof Y.XmlText) || abs.type._item?.deleted) return undefined;
  const start = starts.get(abs.type);
  return start === undefined ? undefined : start + abs.index;
}

/** Whether the character a position sticks to is known and has been deleted. */
function characterDeleted(doc: Y.Doc, encoded: string): boolean {
  const id = decodePosition(encoded)?.item;
  if (!id || Y.getState(doc.store, id.client) <= id.clock) return false;
  const struct = Y.getItem(doc.store, id);
  return !(struct instanceof Y.Item) || struct.deleted;
}

/**
 * Whether an anchor's passage is gone. An anchor's start sticks to the passage's first character
 * (assoc >= 0) and its end to its last (assoc < 0): once both are deleted the passage is gone, even if
 * text typed in its place landed between their tombstones (as it does next to a formatting boundary).
 * The editor and `resolveAnchorText` both ask this before resolving positions.
 */
export function anchorDeleted(doc: Y.Doc, anchor: Pick<Anchor, "start" | "end">): boolean {
  const startAssoc = decodePosition(anchor.start)?.assoc ?? 0;
  const endAssoc = decodePosition(anchor.end)?.assoc ?? 0;
  return startAssoc >= 0 && endAssoc < 0 && characterDeleted(doc, anchor.start) && characterDeleted(doc, anchor.end);
}

/**
 * Resolves an anchor against the article text (without an editor): the passage it covers now, or
 * null when it is orphaned because its text was deleted. Anchors never jump to other text: a
 * position whose text is gone resolves to where that text was, so a deleted passage collapses.
 */
export function resolveAnchorText(doc: Y.Doc, anchor: Pick<Anchor, "start" | "end">): { from: number; to: number; text: string } | null {
  if (anchorDeleted(doc, anchor)) return null;
  const { text, starts } = linearise(doc);
  const from = offsetOf(doc, anchor.start, starts);
  const to = offsetOf(doc, anchor.end, starts);
  if (from === undefined || to === undefined || to <= from) return null;
  return { from, to, text: text.slice(from, to) };
}
