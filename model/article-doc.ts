import { getSchema } from "@tiptap/core";
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { articleExtensions, type ProseMirrorJson } from "./editor-extensions";
import { BODY_FRAGMENT } from "./rooms";

let schema: ReturnType<typeof getSchema> | undefined;
function articleSchema() {
  schema ??= getSchema(articleExtensions);
  return schema;
}

/** The shared fragment holding the article text in a `body` document. */
export function bodyFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY_FRAGMENT);
}

/** The Yjs update that fills an empty `body` document with an imported article. */
export function encodeBodySeed(content: ProseMirrorJson): Uint8Array {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(articleSchema(), content, bodyFragment(doc));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The article text of a `body` document as ProseMirror JSON. */
export function bodyToJson(doc: Y.Doc): ProseMirrorJson {
  return yXmlFragmentToProsemirrorJSON(bodyFragment(doc)) as ProseMirrorJson;
}
