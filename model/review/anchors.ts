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

/** A text node's place in the linear article text. */
interface TextSpan {
  node: Y.XmlText;
  start: number;
  length: number;
}

/** The article text as one string, with the offset where each text node starts. */
function linearise(doc: Y.Doc): { text: string; starts: Map<Y.XmlText, number>; spans: TextSpan[] } {
  const starts = new Map<Y.XmlText, number>();
  const spans: TextSpan[] = [];
  let text = "";
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      starts.set(node, text.length);
      const own = (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
      spans.push({ node, start: text.length, length: own.length });
      text += own;
      return;
    }
    node.toArray().forEach((child) => walk(child as Y.XmlElement | Y.XmlText));
    if (node instanceof Y.XmlElement) text += "\n";
  };
  walk(bodyFragment(doc));
  return { text, starts, spans };
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
  return anchorTextResolver(doc)(anchor);
}

/**
 * `resolveAnchorText` for many anchors on one body: the text is linearised once, on first need, so
 * resolving every thread of an article stays linear in its length. Valid until the body changes.
 */
export function anchorTextResolver(doc: Y.Doc): (anchor: Pick<Anchor, "start" | "end">) => { from: number; to: number; text: string } | null {
  let linear: ReturnType<typeof linearise> | undefined;
  return (anchor) => {
    if (anchorDeleted(doc, anchor)) return null;
    linear ??= linearise(doc);
    const from = offsetOf(doc, anchor.start, linear.starts);
    const to = offsetOf(doc, anchor.end, linear.starts);
    if (from === undefined || to === undefined || to <= from) return null;
    return { from, to, text: linear.text.slice(from, to) };
  };
}

/** The text node holding the character at linear offset `at`, and the character's index in it. */
function characterAt(spans: TextSpan[], at: number): { node: Y.XmlText; index: number } | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid]!;
    if (at < span.start) hi = mid - 1;
    else if (at >= span.start + span.length) lo = mid + 1;
    else return { node: span.node, index: at - span.start };
  }
  return undefined;
}

/**
 * Encoded anchor positions for the passage at linear offsets `from`–`to` (as `resolveAnchorText`
 * counts them), following the editor's conventions: the start sticks to the passage's first character
 * (assoc 0), the end to its last (assoc -1). Null when either end is not a character of the text
 * (a block boundary) or the range is empty.
 */
export function anchorPositionsAt(doc: Y.Doc, from: number, to: number): Pick<Anchor, "start" | "end"> | null {
  if (!(to > from) || from < 0) return null;
  const { spans } = linearise(doc);
  const first = characterAt(spans, from);
  const last = characterAt(spans, to - 1);
  if (!first || !last) return null;
  return {
    start: encodePosition(Y.createRelativePositionFromTypeIndex(first.node, first.index, 0)),
    end: encodePosition(Y.createRelativePositionFromTypeIndex(last.node, last.index + 1, -1)),
  };
}

/** How many characters two strings share at their ends (`atEnd`) or starts. */
function sharedLength(a: string, b: string, atEnd: boolean): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && (atEnd ? a[a.length - 1 - i] === b[b.length - 1 - i] : a[i] === b[i])) i++;
  return i;
}

/**
 * Where a quote selector's exact text occurs in the article text (linear offsets). Among repeats the
 * one whose surroundings match more of the quote's prefix and suffix wins, then the one nearest
 * `near`, then the first. Null when the exact text does not occur.
 */
export function findQuote(doc: Y.Doc, quote: Anchor["quote"], near = 0): { from: number; to: number } | null {
  const { text } = linearise(doc);
  if (!quote.exact) return null;
  let best: { from: number; score: number; distance: number } | undefined;
  for (let at = text.indexOf(quote.exact); at !== -1; at = text.indexOf(quote.exact, at + 1)) {
    const end = at + quote.exact.length;
    const score =
      sharedLength(text.slice(Math.max(0, at - quote.prefix.length), at), quote.prefix, true) +
      sharedLength(text.slice(end, end + quote.suffix.length), quote.suffix, false);
    const distance = Math.abs(at - near);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { from: at, score, distance };
  }
  return best ? { from: best.from, to: best.from + quote.exact.length } : null;
}
