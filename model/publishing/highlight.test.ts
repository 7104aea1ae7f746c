import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bodyToJson } from "../article-doc";
import { resolveAnchorText } from "../review";
import { CLAIM_MARK, highlightClaims, linearText, type ClaimMarkAttrs } from "./highlight";
import { anchorFor, BODY, bodyDoc } from "./publishing.test-helpers";
import type { ProseMirrorJson } from "../editor-extensions";

/** Every text node, in order, with its claim marks' attributes. */
function pieces(doc: ProseMirrorJson): { text: string; claims: ClaimMarkAttrs[]; marks: string[] }[] {
  const out: { text: string; claims: ClaimMarkAttrs[]; marks: string[] }[] = [];
  const walk = (node: ProseMirrorJson) => {
    if (node.type === "text") {
      out.push({
        text: node.text ?? "",
        claims: (node.marks ?? []).filter((m) => m.type === CLAIM_MARK).map((m) => m.attrs as unknown as ClaimMarkAttrs),
        marks: (node.marks ?? []).filter((m) => m.type !== CLAIM_MARK).map((m) => m.type),
      });
    }
    node.content?.forEach(walk);
  };
  walk(doc);
  return out;
}

describe("linearText", () => {
  it("counts the text exactly as the anchor resolver does, so its offsets index it", () => {
    const body = bodyDoc();
    const text = linearText(bodyToJson(body));
    for (const phrase of ["Jobs figures", "unemployment fell by 40 percent last year", "Critics disagreed.", "More than 90 countries"]) {
      const resolved = resolveAnchorText(body, anchorFor(body, phrase))!;
      expect(resolved.text).toBe(phrase);
      expect(text.slice(resolved.from, resolved.to)).toBe(phrase);
    }
  });
});

describe("highlightClaims", () => {
  const text = linearText(BODY);
  const range = (id: string, number: number, phrase: string) => {
    const from = text.indexOf(phrase);
    return { id, number, from, to: from + phrase.length };
  };

  it("splits text nodes at passage boundaries, keeps their own marks, and flags each passage's first and last piece", () => {
    const out = highlightClaims(BODY, [range("jobs-claim", 1, "unemployment fell by 40 percent last year")]);
    const marked = pieces(out).filter((p) => p.claims.length);
    expect(marked.map((p) => p.text)).toEqual(["unemployment fell by 40 percent", " last year"]);
    expect(marked[0]!.marks).toEqual(["bold"]);
    expect(marked.map((p) => [p.claims[0]!.first, p.claims[0]!.last])).toEqual([
      [true, false],
      [false, true],
    ]);
    // The text itself is unchanged.
    expect(linearText(out)).toBe(text);
  });

  it("lets passages overlap and span blocks", () => {
    const out = highlightClaims(BODY, [range("a-claim-1", 1, "said unemployment"), range("b-claim-2", 2, "unemployment fell"), range("c-claim-3", 3, "disagreed.\nMore than")]);
    const byText = new Map(pieces(out).map((p) => [p.text, p.claims.map((c) => c.id)]));
    expect(byText.get("unemployment")).toEqual(["a-claim-1", "b-claim-2"]);
    expect(byText.get(" fell")).toEqual(["b-claim-2"]);
    expect(byText.get("disagreed.")).toEqual(["c-claim-3"]);
    expect(byText.get("More than")).toEqual(["c-claim-3"]);
  });

  it("never changes the text, whatever the ranges", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(text.length), fc.nat(text.length)), { maxLength: 6 }), (pairs) => {
        const ranges = pairs.map(([a, b], i) => ({ id: `claim-${i}-xxxxxx`, number: i + 1, from: Math.min(a, b), to: Math.max(a, b) }));
        const out = highlightClaims(BODY, ranges);
        expect(linearText(out)).toBe(text);
        for (const r of ranges.filter((r) => text.slice(r.from, r.to).replace(/\n/g, "").length > 0)) {
          const covered = pieces(out).filter((p) => p.claims.some((c) => c.id === r.id));
          expect(covered.filter((p) => p.claims.find((c) => c.id === r.id)!.first)).toHaveLength(1);
          expect(covered.filter((p) => p.claims.find((c) => c.id === r.id)!.last)).toHaveLength(1);
        }
      }),
    );
  });
});
