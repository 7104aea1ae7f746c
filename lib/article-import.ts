import { generateJSON } from "@tiptap/html/server";
import sanitizeHtml from "sanitize-html";
import { articleExtensions, plainTextToDoc, type ProseMirrorJson } from "@/model/editor-extensions";

// Only what the article schema can hold survives: headings, paragraphs, lists, quotes, links and
// emphasis. Everything else is unwrapped to its text, and script/style content is dropped whole.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ["h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "blockquote", "a", "em", "i", "strong", "b"],
  allowedAttributes: { a: ["href"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "iframe", "object", "svg", "math", "head", "title"],
  // Block containers become paragraphs so that text in sibling <div>s or table cells does not run together.
  transformTags: {
    h1: "h2",
    h5: "h4",
    h6: "h4",
    ...Object.fromEntries(["div", "section", "article", "header", "footer", "main", "aside", "figure", "figcaption", "td", "th", "dd", "dt", "address", "pre"].map((tag) => [tag, "p"])),
  },
};

/** Reduces pasted HTML to markup the article schema accepts. */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Turns pasted article text or HTML into the stored document, reduced to the editor's schema. */
export function importArticleContent(format: "text" | "html", content: string): ProseMirrorJson {
  if (format === "text") return plainTextToDoc(content);
  const doc = generateJSON(sanitizeArticleHtml(content), articleExtensions) as ProseMirrorJson;
  doc.content = (doc.content ?? []).filter((node) => !(node.type === "paragraph" && !node.content?.length));
  // The schema requires at least one block; HTML that sanitizes to nothing still gives a valid document.
  if (doc.content.length === 0) doc.content = [{ type: "paragraph" }];
  return doc;
}
