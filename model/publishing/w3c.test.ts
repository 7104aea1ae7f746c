import { describe, expect, it } from "vitest";
import { assembleInternalThreads } from "./assemble";
import { contentOf, EVIDENCE, fixture, person } from "./publishing.test-helpers";
import { ANNOTATION_CONTEXT, buildW3cAnnotations, type WebAnnotation } from "./w3c";

const BASE = "https://desk.example/api/articles/a/export?format=w3c";

function collection(includeInternal: boolean) {
  const f = fixture();
  const content = contentOf(f, "all");
  const result = buildW3cAnnotations({
    id: BASE,
    source: "https://news.example/jobs",
    content,
    internal: assembleInternalThreads(f.docs, { person }),
    includeInternal,
    generated: "2024-04-02T10:00:00.000Z",
  });
  return { f, result };
}

/** The Web Annotation Data Model's requirements on one annotation. */
function expectAnnotationShape(a: WebAnnotation): void {
  expect(a["@context"]).toBe(ANNOTATION_CONTEXT);
  expect(a.type).toBe("Annotation");
  expect(a.id).toMatch(/^https:\/\/desk\.example\/.+#.+/);
  expect(["assessing", "linking", "commenting", "replying", "highlighting"]).toContain(a.motivation);
  if (typeof a.target === "string") {
    expect(a.motivation).toBe("replying");
  } else {
    expect(a.target.source).toBe("https://news.example/jobs");
    expect(a.target.selector).toEqual({ type: "TextQuoteSelector", exact: expect.any(String), prefix: expect.any(String), suffix: expect.any(String) });
    expect(a.target.selector.exact.length).toBeGreaterThan(0);
  }
  for (const body of a.body ?? []) {
    if ("value" in body) expect(body).toMatchObject({ type: "TextualBody", value: expect.any(String), format: "text/plain" });
    else expect(body.id).toMatch(/^https?:\/\//);
  }
}

describe("buildW3cAnnotations", () => {
  it("is an AnnotationCollection whose items all have the Web Annotation shape", () => {
    const { result } = collection(true);
    expect(result).toMatchObject({ "@context": ANNOTATION_CONTEXT, id: BASE, type: "AnnotationCollection", first: { type: "AnnotationPage", startIndex: 0 } });
    expect(result.total).toBe(result.first.items.length);
    expect(result.first.items.length).toBeGreaterThan(0);
    result.first.items.forEach(expectAnnotationShape);
    // Ids are unique, so replies can target them.
    expect(new Set(result.first.items.map((a) => a.id)).size).toBe(result.first.items.length);
  });

  it("assesses verdicts, links evidence, and targets each claim's passage with a TextQuoteSelector", () => {
    const { f, result } = collection(false);
    const verdict = result.first.items.find((a) => a.id === `${BASE}#claim-${f.claims.jobs}`)!;
    expect(verdict.motivation).toBe("assessing");
    expect(verdict.body).toEqual([
      { type: "TextualBody", value: "False", format: "text/plain", purpose: "assessing" },
      { type: "TextualBody", value: "Official figures show a 4 percent fall.", format: "text/plain", purpose: "describing" },
    ]);
    expect(verdict.target).toEqual({
      source: "https://news.example/jobs",
      selector: { type: "TextQuoteSelector", exact: "unemployment fell by 40 percent last year", prefix: "Jobs figures\nThe minister said ", suffix: ", according to the ministry.\nCri" },
    });
    const evidence = result.first.items.filter((a) => a.motivation === "linking");
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.body?.[0]).toEqual({ id: EVIDENCE.url, type: "Text", format: "text/html" });
    expect(evidence[0]!.body).toContainEqual({ type: "TextualBody", value: "Refutes", format: "text/plain", purpose: "tagging" });
    expect(evidence[0]!.target).toEqual(verdict.target);
  });

  it("includes internal threads (commenting, then replying to the comment) only when asked", () => {
    const without = collection(false).result.first.items;
    expect(without.some((a) => a.motivation === "commenting" || a.motivation === "replying")).toBe(false);

    const { f, result } = collection(true);
    const comment = result.first.items.find((a) => a.motivation === "commenting")!;
    expect(comment.body).toEqual([{ type: "TextualBody", value: "Which critics?", format: "text/plain", purpose: "commenting" }]);
    expect(comment.creator).toEqual({ type: "Person", id: expect.stringMatching(/^urn:uuid:/), name: "Cora Commenter" });
    expect(comment.target).toMatchObject({ selector: { exact: "Critics disagreed." } });
    const reply = result.first.items.find((a) => a.motivation === "replying")!;
    expect(reply.target).toBe(comment.id);
    expect(reply.body?.[0]).toMatchObject({ value: "The opposition." });
    expect(f.comment).toBeTruthy();
  });
});
