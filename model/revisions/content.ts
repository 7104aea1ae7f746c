import type * as Y from "yjs";
import { bodyToJson } from "../article-doc";
import { docToPlainText } from "../editor-extensions";
import { anchorTextResolver, readThreads, type Thread } from "../review";
import { loadDoc } from "./load";
import type { RevisionContent } from "./types";

/**
 * Threads sorted the way the review panel lists them: by where their passage starts in `body`, then
 * by creation; threads whose passage is gone (orphans) come last, oldest first. Ties end on the id so
 * the order never depends on how the threads map was filled.
 */
export function threadsInDocumentOrder(body: Y.Doc, threads: Thread[]): Thread[] {
  const resolve = anchorTextResolver(body);
  const at = new Map(threads.map((t) => [t.id, resolve(t.anchor)?.from ?? Number.POSITIVE_INFINITY]));
  return [...threads].sort((a, b) => {
    const pa = at.get(a.id)!;
    const pb = at.get(b.id)!;
    if (pa !== pb) return pa < pb ? -1 : 1;
    return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  });
}

/** The derived form of a revision from the full states of its two rooms: plain text, ProseMirror JSON and threads in document order. */
export function deriveRevisionContent(states: { body: Uint8Array; review: Uint8Array }): RevisionContent {
  const body = loadDoc(states.body);
  const review = loadDoc(states.review);
  try {
    const json = bodyToJson(body);
    return { text: docToPlainText(json), body: json, threads: threadsInDocumentOrder(body, readThreads(review)) };
  } finally {
    body.destroy();
    review.destroy();
  }
}
