import * as Y from "yjs";

/** A fresh document holding a stored state (a full-state Yjs update). */
export function loadDoc(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
