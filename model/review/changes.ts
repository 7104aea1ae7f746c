/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs types its parents as AbstractType<any>. */
import * as Y from "yjs";
import { REVIEW_ROOTS } from "./layout";

/** What one transaction on a `review` document touched. */
export interface ReviewChanges {
  /** Threads created, changed or deleted. */
  threadIds: Set<string>;
  /** Something outside `threads` changed, or a thread was touched in a way the layout does not allow. */
  outsideShape: boolean;
}

function rootName(doc: Y.Doc, type: Y.AbstractType<any>): string | undefined {
  for (const [name, root] of doc.share) if (root === type) return name;
  return undefined;
}

/**
 * Maps a transaction's changed types to the threads they belong to. Types created in the same
 * transaction are not listed by Yjs; their nearest pre-existing ancestor is, so a new thread shows up
 * as a changed key of the threads map.
 */
export function changedThreads(transaction: Y.Transaction): ReviewChanges {
  const doc = transaction.doc;
  const threads = doc.share.get(REVIEW_ROOTS.threads);
  const result: ReviewChanges = { threadIds: new Set(), outsideShape: false };
  for (const [type, keys] of transaction.changed) {
    if (type === threads) {
      for (const key of keys) {
        if (key === null) result.outsideShape = true;
        else result.threadIds.add(key);
      }
      continue;
    }
    // Walk up to the child of the threads map that contains this type.
    let current: Y.AbstractType<any> = type;
    let threadId: string | undefined;
    while (current._item) {
      const parent = current._item.parent as Y.AbstractType<any>;
      if (parent === threads) {
        threadId = current._item.parentSub ?? undefined;
        break;
      }
      current = parent;
    }
    if (threadId) result.threadIds.add(threadId);
    else if (rootName(doc, type) !== undefined || !current._item) result.outsideShape = true;
  }
  return result;
}
