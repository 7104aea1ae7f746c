import { describe, expect, it } from "vitest";
import { buildMarkdown, escapeMarkdown } from "./markdown";
import { contentOf, EVIDENCE, fixture } from "./publishing.test-helpers";

describe("buildMarkdown", () => {
  it("writes the annotated article: summary, text with a footnote after each claim, footnotes, methodology", () => {
    const f = fixture({ approveBoth: true });
    const md = buildMarkdown(contentOf(f, "all"));
    expect(md).toMatch(/^# Minister hails record jobs figures\n/);
    expect(md).toContain("**Overall rating: Mostly false**");
    expect(md).toContain("The minister said **unemployment fell by 40 percent** last year[^1], [according to the ministry](<https://example.org/ministry>).");
    expect(md).toContain("- More than 90 countries[^2] sent fighters.");
    expect(md).toContain("[^1]: **False.** “unemployment fell by 40 percent last year” — said by The minister in Radio interview on 2024-03-01");
    expect(md).toContain(`    Refutes: [${EVIDENCE.title}](<${EVIDENCE.url}>) (${EVIDENCE.publisher}) — ${EVIDENCE.note}`);
    expect(md).toContain("[^2]: **Mostly true.**");
    expect(md).toContain("- **Misleading** (2): The claim uses accurate facts in a way that leaves a false impression.");
    // Internal threads are not part of it.
    expect(md).not.toContain("Which critics?");
  });

  it("shows a claim's workflow state when it is not approved (exports of work in progress)", () => {
    const f = fixture();
    const md = buildMarkdown(contentOf(f, "all"));
    expect(md).toContain("[^2]: **Mostly true.** (In review)");
  });

  it("escapes user text so that it never becomes markup or a link", () => {
    expect(escapeMarkdown("<script>alert(1)</script> [x](javascript:alert(1)) *a* _b_ `c`")).toBe(
      "\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(1)) \\*a\\* \\_b\\_ \\`c\\`",
    );
    expect(escapeMarkdown("# not a heading\n- not a list\n1. not a list")).toBe("\\# not a heading\n\\- not a list\n1\\. not a list");
    const f = fixture({ text: { verdictNote: "<img src=x onerror=alert(1)>" } });
    const content = contentOf(f);
    const md = buildMarkdown({ ...content, article: { ...content.article, sourceUrl: "javascript:alert(1)", publisher: "Evil" } });
    expect(md).toContain("\\<img src=x onerror=alert(1)\\>");
    expect(md).toContain("Source: Evil");
    expect(md).not.toContain("(<javascript:");
  });
});
