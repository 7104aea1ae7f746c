import type { Extensions } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

/** Link schemes that may appear in the article text. */
const ALLOWED_LINK = /^(https?:|mailto:)/i;

/**
 * The one Tiptap extension list for an article's text. The importer, the read-only view, the live
 * editor and the published page all use it, so a document can never hold a node one of them lacks.
 * Headings start at level 2 because the article title is the page's h1.
 */
export const articleExtensions: Extensions = [
  StarterKit.configure({
    heading: { levels: [2, 3, 4] },
    code: false,
    codeBlock: false,
    horizontalRule: false,
    strike: false,
    underline: false,
    // Collaboration brings its own undo manager; the trailing node would make the server's seeded
    // document differ from what a client derives.
    undoRedo: false,
    trailingNode: false,
    link: {
      openOnClick: false,
      autolink: false,
      linkOnPaste: false,
      isAllowedUri: (url) => ALLOWED_LINK.test(url.trim()),
      HTMLAttributes: { rel: "noopener noreferrer nofollow", target: null },
    },
  }),
];

/** A ProseMirror document as JSON, the stored form of an imported article before it becomes a Y document. */
export interface ProseMirrorJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJson[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/**
 * Builds a document from plain text: blank lines separate paragraphs, single newlines are line breaks.
 * Text with nothing in it gives one empty paragraph, since the schema requires a doc to hold a block.
 */
export function plainTextToDoc(text: string): ProseMirrorJson {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p.trim().length > 0);
  if (paragraphs.length === 0) return { type: "doc", content: [{ type: "paragraph" }] };
  return {
    type: "doc",
    content: paragraphs.map((p) => {
      const lines = p.split("\n");
      const content: ProseMirrorJson[] = [];
      lines.forEach((line, i) => {
        if (i > 0) content.push({ type: "hardBreak" });
        if (line.length > 0) content.push({ type: "text", text: line });
      });
      return { type: "paragraph", content };
    }),
  };
}

/** The text of a document, one block per line, for search, previews and tests. */
export function docToPlainText(doc: ProseMirrorJson): string {
  const blocks: string[] = [];
  const walk = (node: ProseMirrorJson, out: string[]): void => {
    if (node.type === "text") out.push(node.text ?? "");
    else if (node.type === "hardBreak") out.push("\n");
    else node.content?.forEach((child) => walk(child, out));
  };
  const visitBlock = (node: ProseMirrorJson): void => {
    const hasInline = node.content?.some((c) => c.type === "text" || c.type === "hardBreak");
    if (node.type === "paragraph" || node.type === "heading" || hasInline) {
      const out: string[] = [];
      walk(node, out);
      blocks.push(out.join(""));
    } else node.content?.forEach(visitBlock);
  };
  visitBlock(doc);
  return blocks.join("\n\n");
}
