import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { articleExtensions, type ProseMirrorJson } from "@/model/editor-extensions";
import { importArticleContent, sanitizeArticleHtml } from "./article-import";

/** Every node of a document, depth first. */
function nodes(doc: ProseMirrorJson): ProseMirrorJson[] {
  return [doc, ...(doc.content ?? []).flatMap(nodes)];
}

/** The concatenated text of a document. */
function textOf(doc: ProseMirrorJson): string {
  return nodes(doc)
    .map((n) => n.text ?? "")
    .join("");
}

/** The href of every link mark in a document. */
function linkHrefs(doc: ProseMirrorJson): unknown[] {
  return nodes(doc).flatMap((n) => (n.marks ?? []).filter((m) => m.type === "link").map((m) => m.attrs?.href));
}

const schema = getSchema(articleExtensions);

/** Throws unless `doc` is a valid document of the article schema. */
function assertValid(doc: ProseMirrorJson): void {
  schema.nodeFromJSON(doc).check();
}

/** Sanitizes and imports `html`, returning both forms. */
function both(html: string) {
  return { html: sanitizeArticleHtml(html), doc: importArticleContent("html", html) };
}

describe("sanitizeArticleHtml / importArticleContent: what is removed", () => {
  it("drops script elements together with their content", () => {
    const { html, doc } = both('<p>before<script>alert("x")</script>after</p><script>steal(document.cookie)</script>');
    expect(html).not.toMatch(/script|alert|steal|cookie/i);
    expect(html).toBe("<p>beforeafter</p>");
    expect(textOf(doc)).toBe("beforeafter");
  });

  it("drops event-handler attributes", () => {
    const { html, doc } = both('<p onclick="evil()">Hello</p><p><b onmouseover="evil()">bold</b></p>');
    expect(html).not.toMatch(/onclick|onmouseover|evil/i);
    expect(html).toContain("Hello");
    expect(textOf(doc)).toBe("Hellobold");
    expect(JSON.stringify(doc)).not.toMatch(/evil|onclick|onmouseover/);
  });

  it("drops images, and with them onerror handlers", () => {
    const { html, doc } = both('<p>Text<img src="x" onerror="alert(1)"></p><img src=x onerror=alert(2)>');
    expect(html).not.toMatch(/img|onerror|alert/i);
    expect(textOf(doc)).toBe("Text");
    expect(nodes(doc).some((n) => n.type === "image")).toBe(false);
  });

  it.each([
    ["plain", "javascript:alert(1)"],
    ["mixed case", "JaVaScRiPt:alert(1)"],
    ["upper case with leading spaces", "   JAVASCRIPT:alert(1)"],
    ["tab entity inside the scheme", "java&#x09;script:alert(1)"],
    ["newline entity inside the scheme", "jav&#x0A;ascript:alert(1)"],
    ["raw tab inside the scheme", "java\tscript:alert(1)"],
    ["decimal entity for the first letter", "&#106;avascript:alert(1)"],
    ["named entity for the colon", "javascript&colon;alert(1)"],
    ["vbscript", "vbscript:msgbox(1)"],
    ["data: html", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="],
    ["DATA: upper case", "DATA:text/html,<script>alert(1)</script>"],
    ["data: image", "data:image/png;base64,iVBORw0KGgo="],
    ["protocol-relative", "//evil.example/x"],
  ])("removes a %s link's href but keeps its text", (_label, href) => {
    const { html, doc } = both(`<p>See <a href="${href}">this</a>.</p>`);
    expect(html).not.toContain("href");
    expect(html).not.toMatch(/javascript|vbscript|data:|alert|evil/i);
    expect(textOf(doc)).toBe("See this.");
    expect(linkHrefs(doc)).toEqual([]);
  });

  it("drops style elements with their content and style attributes", () => {
    const { html, doc } = both('<style>p { color: red }</style><p style="color:red;background:url(x)">Kept</p>');
    expect(html).not.toMatch(/style|color|red|background/i);
    expect(html).toBe("<p>Kept</p>");
    expect(textOf(doc)).toBe("Kept");
  });

  it("drops iframes with whatever they contain", () => {
    const { html, doc } = both('<p>Keep</p><iframe src="https://evil.example/"><p>fallback</p></iframe>');
    expect(html).not.toMatch(/iframe|evil|fallback/i);
    expect(textOf(doc)).toBe("Keep");
  });

  it("drops other attributes from links, keeping only href", () => {
    const { html } = both('<a href="https://example.org/" target="_blank" class="x" id="y" title="t">x</a>');
    expect(html).toBe('<a href="https://example.org/">x</a>');
  });
});

describe("importArticleContent (html): what survives", () => {
  const html = [
    "<h1>Main heading</h1>",
    "<h3>Sub heading</h3>",
    '<p>Plain, <b>bold</b>, <strong>strong</strong>, <i>italic</i>, <em>emphasis</em> and <a href="https://example.org/story">a link</a>.</p>',
    "<ul><li>first bullet</li><li>second bullet</li></ul>",
    "<ol><li>step one</li><li>step two</li></ol>",
    "<blockquote><p>A quotation.</p></blockquote>",
  ].join("");
  const doc = importArticleContent("html", html);

  it("is a doc of the expected blocks, in order", () => {
    expect(doc.type).toBe("doc");
    expect(doc.content?.map((n) => n.type)).toEqual([
      "heading",
      "heading",
      "paragraph",
      "bulletList",
      "orderedList",
      "blockquote",
    ]);
  });

  it("turns h1 into a level-2 heading (the page title is the only h1) and keeps h3 at level 3", () => {
    expect(doc.content?.[0]).toMatchObject({
      type: "heading",
      attrs: { level: 2 },
      content: [{ type: "text", text: "Main heading" }],
    });
    expect(doc.content?.[1]).toMatchObject({
      type: "heading",
      attrs: { level: 3 },
      content: [{ type: "text", text: "Sub heading" }],
    });
  });

  it("keeps h2 and h4, and folds h5 and h6 into level 4 (the schema's deepest)", () => {
    const headings = importArticleContent("html", "<h2>b</h2><h4>d</h4><h5>e</h5><h6>f</h6>");
    expect(headings.content).toEqual([
      { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "b" }] },
      { type: "heading", attrs: { level: 4 }, content: [{ type: "text", text: "d" }] },
      { type: "heading", attrs: { level: 4 }, content: [{ type: "text", text: "e" }] },
      { type: "heading", attrs: { level: 4 }, content: [{ type: "text", text: "f" }] },
    ]);
  });

  it("keeps bold, italic and http(s) links as marks", () => {
    const paragraph = doc.content?.[2];
    expect(paragraph).toMatchObject({
      type: "paragraph",
      content: [
        { type: "text", text: "Plain, " },
        { type: "text", text: "bold", marks: [{ type: "bold" }] },
        { type: "text", text: ", " },
        { type: "text", text: "strong", marks: [{ type: "bold" }] },
        { type: "text", text: ", " },
        { type: "text", text: "italic", marks: [{ type: "italic" }] },
        { type: "text", text: ", " },
        { type: "text", text: "emphasis", marks: [{ type: "italic" }] },
        { type: "text", text: " and " },
        { type: "text", text: "a link", marks: [{ type: "link", attrs: { href: "https://example.org/story" } }] },
        { type: "text", text: "." },
      ],
    });
  });

  it("keeps a plain http link", () => {
    expect(linkHrefs(importArticleContent("html", '<p><a href="http://example.org/a?b=c">x</a></p>'))).toEqual([
      "http://example.org/a?b=c",
    ]);
  });

  it("keeps bullet and ordered lists with their items", () => {
    expect(doc.content?.[3]).toMatchObject({
      type: "bulletList",
      content: [
        { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "first bullet" }] }] },
        { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "second bullet" }] }] },
      ],
    });
    expect(doc.content?.[4]).toMatchObject({
      type: "orderedList",
      content: [
        { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "step one" }] }] },
        { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "step two" }] }] },
      ],
    });
  });

  it("keeps blockquotes", () => {
    expect(doc.content?.[5]).toMatchObject({
      type: "blockquote",
      content: [{ type: "paragraph", content: [{ type: "text", text: "A quotation." }] }],
    });
  });

  it("leaves no empty paragraphs behind when removed elements stood between blocks", () => {
    const result = importArticleContent("html", "<p>One</p><p><img src=x></p><p><script>x()</script></p><p>Two</p>");
    expect(result.content).toEqual([
      { type: "paragraph", content: [{ type: "text", text: "One" }] },
      { type: "paragraph", content: [{ type: "text", text: "Two" }] },
    ]);
  });
});

describe("importArticleContent (text)", () => {
  it("splits paragraphs at blank lines and turns single newlines into hard breaks", () => {
    const doc = importArticleContent("text", "First line\nsecond line\n\nNext paragraph");
    expect(doc).toEqual({
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: "First line" },
            { type: "hardBreak" },
            { type: "text", text: "second line" },
          ],
        },
        { type: "paragraph", content: [{ type: "text", text: "Next paragraph" }] },
      ],
    });
  });

  it("treats CRLF like LF, several blank lines or whitespace-only lines as one separator", () => {
    const doc = importArticleContent("text", "\r\n\r\nA\r\nB\r\n\r\n\r\n\r\nC\n   \t\nD\n\n");
    expect(doc).toEqual({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "A" }, { type: "hardBreak" }, { type: "text", text: "B" }] },
        { type: "paragraph", content: [{ type: "text", text: "C" }] },
        { type: "paragraph", content: [{ type: "text", text: "D" }] },
      ],
    });
  });

  it("keeps markup in plain text as literal text", () => {
    const doc = importArticleContent("text", '<script>alert(1)</script> & <a href="javascript:x">y</a>');
    expect(doc).toEqual({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: '<script>alert(1)</script> & <a href="javascript:x">y</a>' }] },
      ],
    });
  });
});

describe("importArticleContent: the result always fits the article schema", () => {
  it.each([
    ["html", '<h1>T</h1><p>a <b>b</b> <a href="https://x.org">c</a></p><ul><li>d</li></ul><ol><li>e</li></ol><blockquote><p>f</p></blockquote>'],
    ["html", "<h5>deep heading</h5><p>x<br>y</p>"],
    ["html", "<p>One</p><p><img src=x></p><p>Two</p>"],
    ["text", "a\nb\n\nc"],
  ] as const)("%s: %s", (format, content) => {
    expect(() => assertValid(importArticleContent(format, content))).not.toThrow();
  });

  it.each([
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<p></p><style>p{}</style>",
    '<iframe src="https://evil.example/"></iframe>',
  ])("html with nothing importable (%s) gives one empty paragraph, not an invalid empty doc", (html) => {
    const doc = importArticleContent("html", html);
    expect(doc).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
    expect(() => assertValid(doc)).not.toThrow();
  });
});
