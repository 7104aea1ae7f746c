import { describe, expect, it } from "vitest";
import { anchorPositionsAt, anchorTextResolver, findQuote, resolveAnchorText } from "./anchors";
import { anchorIn, articleBody, paragraphText } from "./review.test-helpers";

describe("anchor helpers for re-anchoring", () => {
  const body = () => articleBody(["Crime fell. Crime rose by 40 percent.", "Crime fell again."]);

  it("anchorPositionsAt makes positions that resolve to the same offsets, sticking to the passage's edges", () => {
    const doc = body();
    const text = resolveAnchorText(doc, anchorIn(paragraphText(doc, 0), 12, 22))!;
    expect(text.text).toBe("Crime rose");
    const positions = anchorPositionsAt(doc, text.from, text.to)!;
    expect(resolveAnchorText(doc, positions)).toEqual(text);
    // Text typed at either edge stays outside the passage.
    paragraphText(doc, 0).insert(22, "XX");
    paragraphText(doc, 0).insert(12, "YY");
    expect(resolveAnchorText(doc, positions)?.text).toBe("Crime rose");
    // Across paragraphs: the block boundary counts as one "\n".
    const across = anchorPositionsAt(doc, 30, 45)!;
    expect(resolveAnchorText(doc, across)?.text).toBe("40 percent.\nCri");
  });

  it("anchorPositionsAt refuses empty ranges and ends on a block boundary", () => {
    const doc = body();
    expect(anchorPositionsAt(doc, 5, 5)).toBeNull();
    expect(anchorPositionsAt(doc, 30, 38)).toBeNull(); // offset 37 is the paragraph's "\n"
    expect(anchorPositionsAt(doc, 0, 999)).toBeNull();
  });

  it("findQuote picks the occurrence whose context matches, then the nearest", () => {
    const doc = body();
    expect(findQuote(doc, { exact: "Crime fell", prefix: "", suffix: " again" })).toEqual({ from: 38, to: 48 });
    expect(findQuote(doc, { exact: "Crime fell", prefix: "", suffix: "" })).toEqual({ from: 0, to: 10 });
    expect(findQuote(doc, { exact: "Crime fell", prefix: "", suffix: "" }, 40)).toEqual({ from: 38, to: 48 });
    expect(findQuote(doc, { exact: "Crime sank", prefix: "", suffix: "" })).toBeNull();
  });

  it("anchorTextResolver gives what resolveAnchorText gives, for many anchors", () => {
    const doc = body();
    const anchors = [anchorIn(paragraphText(doc, 0), 0, 5), anchorIn(paragraphText(doc, 1), 6, 10), anchorIn(paragraphText(doc, 0), 6, 11)];
    paragraphText(doc, 0).delete(0, 5);
    const resolve = anchorTextResolver(doc);
    expect(anchors.map(resolve)).toEqual(anchors.map((a) => resolveAnchorText(doc, a)));
    expect(anchors.map(resolve).map((r) => r?.text ?? null)).toEqual([null, "fell", "fell."]);
  });
});
