import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getSchema } from "@tiptap/core";
import { describe, expect, it } from "vitest";
import { articleExtensions, docToPlainText, plainTextToDoc, type ProseMirrorJson } from "./editor-extensions";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schema = getSchema(articleExtensions);

/** Throws unless `doc` is a valid document of the article schema. */
function assertValid(doc: ProseMirrorJson): void {
  schema.nodeFromJSON(doc).check();
}

const text = (t: string): ProseMirrorJson => ({ type: "text", text: t });
const paragraph = (...content: ProseMirrorJson[]): ProseMirrorJson => ({ type: "paragraph", content });

describe("plainTextToDoc", () => {
  it("makes one paragraph per blank-line-separated block and a hard break per single newline", () => {
    expect(plainTextToDoc("Line one\nLine two\n\nSecond paragraph\n\n\nThird")).toEqual({
      type: "doc",
      content: [
        paragraph(text("Line one"), { type: "hardBreak" }, text("Line two")),
        paragraph(text("Second paragraph")),
        paragraph(text("Third")),
      ],
    });
  });

  it("keeps characters exactly, including curly quotes, dashes and leading spaces", () => {
    const line = "  “Quoted” – it’s … — done";
    expect(plainTextToDoc(line)).toEqual({ type: "doc", content: [paragraph(text(line))] });
  });

  it("gives a schema-valid document, even for empty text", () => {
    for (const input of ["", "\n\n  \n", "a", "a\nb\n\nc"]) {
      expect(() => assertValid(plainTextToDoc(input))).not.toThrow();
    }
    expect(plainTextToDoc("")).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
  });
});

describe("docToPlainText", () => {
  it("puts a blank line between blocks and a newline for each hard break, descending into lists and quotes", () => {
    const doc: ProseMirrorJson = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [text("Heading")] },
        paragraph(text("plain "), { type: "text", text: "bold", marks: [{ type: "bold" }] }),
        {
          type: "bulletList",
          content: [
            { type: "listItem", content: [paragraph(text("item one"))] },
            { type: "listItem", content: [paragraph(text("item two"))] },
          ],
        },
        { type: "blockquote", content: [paragraph(text("quote"), { type: "hardBreak" }, text("continued"))] },
      ],
    };
    expect(docToPlainText(doc)).toBe("Heading\n\nplain bold\n\nitem one\n\nitem two\n\nquote\ncontinued");
  });
});

describe("plainTextToDoc ↔ docToPlainText", () => {
  it.each([
    "One paragraph.",
    "First.\n\nSecond.",
    "Line one\nline two\n\nNext paragraph\nwith a break",
    "Curly “quotes” and it’s – dashes — and…",
  ])("round-trips normalised text unchanged: %j", (input) => {
    expect(docToPlainText(plainTextToDoc(input))).toBe(input);
  });

  it("normalises line endings and blank runs, and is stable after that", () => {
    const messy = "\r\n\r\nA\r\nB\r\n\r\n\r\nC\n \t \nD\n\n\n";
    const once = docToPlainText(plainTextToDoc(messy));
    expect(once).toBe("A\nB\n\nC\n\nD");
    expect(docToPlainText(plainTextToDoc(once))).toBe(once);
    expect(plainTextToDoc(once)).toEqual(plainTextToDoc(messy));
  });
});

describe("the demo article", () => {
  // The file is the title on its first line, then the body; paragraphs are separated by blank lines.
  const file = readFileSync(path.join(root, "db/seed/demo-article.txt"), "utf8");
  const lines = file.split("\n");
  const title = lines[0] ?? "";
  const bodyParagraphs = lines.slice(1).filter((line) => line.trim() !== "");
  const doc = plainTextToDoc(lines.slice(1).join("\n"));

  it("is the article we think it is", () => {
    expect(title).toBe("Russia: US pretends to fight ISIS, it ferries jihadis from Iraq to Syria");
    expect(bodyParagraphs).toHaveLength(15);
    expect(bodyParagraphs[0]).toMatch(/^Russia has once again accused the US-led coalition/);
    expect(file).toContain("Russia’s defense ministry");
    expect(file).toContain("“pretending”");
  });

  it("becomes one paragraph per body paragraph, word for word", () => {
    expect(doc.content).toHaveLength(bodyParagraphs.length);
    doc.content?.forEach((node, i) => {
      expect(node).toEqual(paragraph(text(bodyParagraphs[i] ?? "")));
    });
  });

  it("does not include the title", () => {
    expect(docToPlainText(doc)).not.toContain(title);
  });

  it("reads back as the body paragraphs joined by blank lines", () => {
    expect(docToPlainText(doc)).toBe(bodyParagraphs.join("\n\n"));
  });

  it("fits the article schema", () => {
    expect(() => assertValid(doc)).not.toThrow();
  });
});
