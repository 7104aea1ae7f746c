import type { ProseMirrorJson } from "../editor-extensions";

/** The mark that wraps a public claim's passage in the published text (see components/publication). */
export const CLAIM_MARK = "publicClaim";

/** A claim's passage as offsets into the text, with the claim's place in the table of claims (from 1). */
export interface ClaimRange {
  id: string;
  number: number;
  from: number;
  to: number;
}

/** The attributes of a claim mark on one piece of a passage. */
export interface ClaimMarkAttrs {
  id: string;
  number: number;
  /** The passage's first piece (it carries the claim's anchor id). */
  first: boolean;
  /** The passage's last piece (a reference to the claim follows it). */
  last: boolean;
}

/**
 * The body's text as one string, counted exactly as model/review's anchor resolver counts it on the
 * Yjs document: text as it is, and a newline after every element (a block, a hard break) once its
 * children are done; the document itself adds nothing. Offsets from `resolveAnchorText` index it.
 */
export function linearText(doc: ProseMirrorJson): string {
  let text = "";
  const walk = (node: ProseMirrorJson, root: boolean) => {
    if (node.type === "text") {
      text += node.text ?? "";
      return;
    }
    node.content?.forEach((child) => walk(child, false));
    if (!root) text += "\n";
  };
  walk(doc, true);
  return text;
}

/**
 * Marks each claim's passage in a copy of the body: text nodes are split where passages start and
 * end, and every piece inside a passage gets a claim mark. Passages may overlap or span blocks; the
 * first piece of each is flagged (it takes the anchor id) and so is the last (a reference follows).
 */
export function highlightClaims(doc: ProseMirrorJson, ranges: readonly ClaimRange[]): ProseMirrorJson {
  const usable = ranges.filter((r) => r.to > r.from);
  const pieces = new Map<string, ClaimMarkAttrs[]>();
  let offset = 0;

  const splitText = (node: ProseMirrorJson): ProseMirrorJson[] => {
    const text = node.text ?? "";
    const start = offset;
    const end = start + text.length;
    offset = end;
    const inside = usable.filter((r) => r.from < end && r.to > start);
    if (!inside.length) return [node];
    const cuts = new Set<number>([start, end]);
    for (const r of inside) {
      if (r.from > start) cuts.add(r.from);
      if (r.to < end) cuts.add(r.to);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out: ProseMirrorJson[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i]!;
      const to = points[i + 1]!;
      const covering = inside.filter((r) => r.from <= from && r.to >= to);
      const marks = [...(node.marks ?? [])];
      for (const r of covering) {
        const attrs: ClaimMarkAttrs = { id: r.id, number: r.number, first: false, last: false };
        const list = pieces.get(r.id) ?? [];
        list.push(attrs);
        pieces.set(r.id, list);
        marks.push({ type: CLAIM_MARK, attrs: attrs as unknown as Record<string, unknown> });
      }
      out.push({ ...node, text: text.slice(from - start, to - start), ...(marks.length ? { marks } : {}) });
    }
    return out;
  };

  const walk = (node: ProseMirrorJson, root: boolean): ProseMirrorJson => {
    if (node.type === "text") return node;
    const copy: ProseMirrorJson = { ...node };
    if (node.content) copy.content = node.content.flatMap((child) => (child.type === "text" ? splitText(child) : [walk(child, false)]));
    if (!root) offset += 1;
    return copy;
  };

  const result = walk(doc, true);
  for (const list of pieces.values()) {
    list[0]!.first = true;
    list.at(-1)!.last = true;
  }
  return result;
}
