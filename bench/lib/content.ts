/** The text of the one paragraph every benchmark article starts with, on every server. */
export const SEED_TEXT =
  "The minister said on Tuesday that unemployment had fallen to its lowest level in forty years, " +
  "and that the new training programme had created 120,000 jobs since it began last spring.";

/** The same paragraph as ProseMirror JSON, as our server seeds the room from the stored article. */
export const SEED_DOC = {
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: SEED_TEXT }] }],
};
