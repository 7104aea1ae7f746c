import { getSchema } from "@tiptap/core";
import { Node } from "@tiptap/pm/model";
import { describe, expect, it } from "vitest";
import { articleExtensions, plainTextToDoc } from "@/model/editor-extensions";
import { findQuote, flattenDoc } from "./quote-ranges";

const schema = getSchema(articleExtensions);
const docOf = (text: string) => Node.fromJSON(schema, plainTextToDoc(text));

describe("findQuote", () => {
  const doc = docOf("The rate fell. The rate rose.\n\nNobody said the rate fell.");
  const flat = flattenDoc(doc);

  it("flattens blocks with a line between them, as anchors quote them", () => {
    expect(flat.text).toBe("The rate fell. The rate rose.\nNobody said the rate fell.");
    expect(flat.positions.filter((p) => p === -1)).toHaveLength(1);
  });

  it("picks the occurrence whose prefix and suffix match, and maps it back to the document", () => {
    const first = findQuote(flat, { exact: "rate fell", prefix: "The ", suffix: ". The rate" })!;
    expect(doc.textBetween(first.from, first.to)).toBe("rate fell");
    expect(first.from).toBe(5);
    const second = findQuote(flat, { exact: "rate fell", prefix: "said the ", suffix: "." })!;
    expect(doc.textBetween(second.from, second.to)).toBe("rate fell");
    expect(second.from).toBeGreaterThan(first.from);
  });

  it("spans paragraphs, and gives null for text that is not there", () => {
    const across = findQuote(flat, { exact: "rose.\nNobody", prefix: "", suffix: "" })!;
    expect(doc.textBetween(across.from, across.to, "\n")).toBe("rose.\nNobody");
    expect(findQuote(flat, { exact: "unemployment", prefix: "", suffix: "" })).toBeNull();
  });

  it("counts a line break as a new line", () => {
    const withBreak = docOf("first line\nsecond line");
    const range = findQuote(flattenDoc(withBreak), { exact: "line\nsecond", prefix: "first ", suffix: "" })!;
    expect(range.to - range.from).toBe("line\nsecond".length);
  });
});
