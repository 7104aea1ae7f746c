import * as Y from "yjs";
import type { DbOrTx } from "@/db/client";
import { lastLogId, loadRoomAt } from "@/db/queries/documents";
import type { ArticleDocs } from "@/model/publishing";

/** A Yjs document holding `state`. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/**
 * The summary room as its log holds it now (checkpoint plus the rows after it). Revisions do not
 * cover this room yet, so publishing and exports read it here; an unopened room is an empty document.
 */
export async function loadSummaryDoc(db: DbOrTx, params: { articleId: string }): Promise<Y.Doc> {
  const upto = await lastLogId(db, { articleId: params.articleId, room: "summary" });
  const doc = new Y.Doc();
  if (upto === 0n) return doc;
  const stored = await loadRoomAt(db, { articleId: params.articleId, room: "summary", upto });
  doc.transact(() => {
    if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/** Frees the documents of an article once read. */
export function destroyDocs(docs: Partial<ArticleDocs>): void {
  docs.body?.destroy();
  docs.review?.destroy();
  docs.summary?.destroy();
}
