/** One step of a merged sequence: in both, only in the old one, or only in the new one. */
export type MergeStep<T> = { op: "same"; from: T; to: T } | { op: "delete"; from: T } | { op: "insert"; to: T };

/**
 * Merges two versions of a sequence whose elements carry stable identities (Yjs item ids, thread ids)
 * into one ordered sequence. Yjs keeps every replica's items in one total order, so the elements the
 * two versions share appear in the same order in both and no longest-common-subsequence search is
 * needed: one pass with two cursors does it. Between two shared elements the removed ones come before
 * the added ones. Should the shared elements ever disagree on order (threads sorted by a moved anchor
 * can), the out-of-order one is shown as removed here and added where the new version has it.
 */
export function mergeByKey<T>(from: readonly T[], to: readonly T[], key: (item: T) => string): MergeStep<T>[] {
  const inFrom = new Set(from.map(key));
  const inTo = new Set(to.map(key));
  const out: MergeStep<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    const a = i < from.length ? from[i]! : undefined;
    const b = j < to.length ? to[j]! : undefined;
    if (a !== undefined && !inTo.has(key(a))) {
      out.push({ op: "delete", from: a });
      i++;
    } else if (b !== undefined && !inFrom.has(key(b))) {
      out.push({ op: "insert", to: b });
      j++;
    } else if (a !== undefined && b !== undefined && key(a) === key(b)) {
      out.push({ op: "same", from: a, to: b });
      i++;
      j++;
    } else if (a !== undefined) {
      inFrom.delete(key(a));
      inTo.delete(key(a));
      out.push({ op: "delete", from: a });
      i++;
    } else {
      out.push({ op: "insert", to: b! });
      j++;
    }
  }
  return out;
}
