import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import type { Anchor } from "@/model/review";

/** A document's text with, for each character, its position in the document (-1 for a block break). */
export interface FlatText {
  text: string;
  positions: number[];
}

/**
 * The text of a document as anchors quote it (`textBetween` with "\n" between blocks and for line
 * breaks), keeping where each character sits so that a found quote maps back to a range.
 */
export function flattenDoc(doc: ProseMirrorNode): FlatText {
  let text = "";
  const positions: number[] = [];
  let started = false;
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      if (started) {
        text += "\n";
        positions.push(-1);
      }
      started = true;
    } else if (node.isText) {
      const s = node.text ?? "";
      text += s;
      for (let i = 0; i < s.length; i++) positions.push(pos + i);
    } else if (node.type.name === "hardBreak") {
      text += "\n";
      positions.push(pos);
    }
    return true;
  });
  return { text, positions };
}

function sharedTail(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function sharedHead(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

// A quote that occurs more often than this is placed among the first ones only.
const MAX_CANDIDATES = 500;

/**
 * Where a thread's quote sits in a document that has no live anchors (a stored revision): the
 * occurrence of the exact text whose surroundings best match the quote's prefix and suffix. Null
 * when the text is not there (the thread is orphaned in that version).
 */
export function findQuote(flat: FlatText, quote: Anchor["quote"]): { from: number; to: number } | null {
  const { exact, prefix, suffix } = quote;
  if (!exact) return null;
  let best = -1;
  let bestScore = -1;
  let seen = 0;
  for (let at = flat.text.indexOf(exact); at >= 0 && seen < MAX_CANDIDATES; at = flat.text.indexOf(exact, at + 1), seen++) {
    const before = flat.text.slice(Math.max(0, at - prefix.length), at);
    const after = flat.text.slice(at + exact.length, at + exact.length + suffix.length);
    const score = sharedTail(before, prefix) + sharedHead(after, suffix);
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  if (best < 0) return null;
  let first = best;
  let last = best + exact.length - 1;
  while (first <= last && flat.positions[first] === -1) first++;
  while (last >= first && flat.positions[last] === -1) last--;
  if (first > last) return null;
  return { from: flat.positions[first]!, to: flat.positions[last]! + 1 };
}
