/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs types its parents as AbstractType<any>. */
import type * as Y from "yjs";
import { SUMMARY_ROOTS } from "./layout";

/** What one transaction on a `summary` document touched. */
export interface SummaryChanges {
  /** The write-up changed. */
  text: boolean;
  /** The `verdict` map changed. */
  verdict: boolean;
  /** Something outside the layout changed (another root, or a type nested in the verdict map). */
  outsideShape: boolean;
}

/** Sorts a transaction's changed types into the summary's two parts, and anything else. */
export function changedSummaryParts(transaction: Y.Transaction): SummaryChanges {
  const doc = transaction.doc;
  const text = doc.share.get(SUMMARY_ROOTS.text);
  const verdict = doc.share.get(SUMMARY_ROOTS.verdict);
  const result: SummaryChanges = { text: false, verdict: false, outsideShape: false };
  for (const type of transaction.changed.keys()) {
    if (type === verdict) {
      result.verdict = true;
      continue;
    }
    let root: Y.AbstractType<any> = type;
    while (root._item) root = root._item.parent as Y.AbstractType<any>;
    if (root === text) result.text = true;
    // A type inside the verdict map is a value the layout never holds; the map's raw read refuses it
    // too, but only if the map itself changed in the same transaction.
    else result.outsideShape = true;
  }
  return result;
}
