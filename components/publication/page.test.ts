// @vitest-environment happy-dom
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { addEvidence, updateClaim } from "@/model/review";
import { contentOf, fixture, PEOPLE } from "@/model/publishing/publishing.test-helpers";
import { renderGonePage, renderNotFoundPage, renderPublicationPage } from "./render";

const SCRIPT = "<script>alert('xss')</script>";
const ONERROR = `<img src=x onerror="alert('xss')">`;
const JS_URL = "javascript:alert('xss')";
const PAYLOAD = `${SCRIPT} ${ONERROR} ${JS_URL}`;

/** A publication whose text, claim, comment, rationale and evidence all carry the payloads. */
function hostileContent() {
  const f = fixture({ text: { verdictNote: PAYLOAD, comment: PAYLOAD } });
  const claimId = f.claims.jobs;
  const update = (edit: (doc: Y.Doc) => void) => edit(f.docs.review);
  update((doc) => updateClaim(doc, claimId, { by: PEOPLE.checker.id, patch: { claimant: PAYLOAD, appearedIn: ONERROR } }));
  update((doc) =>
    addEvidence(doc, claimId, {
      by: PEOPLE.checker.id,
      evidence: { url: `https://evil.example/?q=${encodeURIComponent(JS_URL)}&x="><script>`, title: PAYLOAD, publisher: ONERROR, stance: "supports", note: SCRIPT },
    }),
  );
  const content = contentOf(f, [claimId]);
  const body: ProseMirrorJson = {
    type: "doc",
    content: [
      ...(content.body.content ?? []),
      { type: "paragraph", content: [{ type: "text", text: PAYLOAD }] },
      { type: "paragraph", content: [{ type: "text", text: "click me", marks: [{ type: "link", attrs: { href: JS_URL } }] }] },
    ],
  };
  return {
    ...content,
    body,
    article: { ...content.article, title: PAYLOAD, author: ONERROR, publisher: SCRIPT, sourceUrl: JS_URL },
    corrections: [{ number: 2, at: "2024-05-01T09:00:00.000Z", note: PAYLOAD, changes: [] }],
  };
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, "text/html");
}

describe("the published page", () => {
  it("escapes every payload: no script runs, no event handler, no javascript: link, yet the text reads as written", () => {
    const page = renderPublicationPage(hostileContent());
    const doc = parse(page.html);

    const scripts = [...doc.querySelectorAll("script")];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script.getAttribute("type")).toBe("application/ld+json");
    for (const element of doc.querySelectorAll("*")) {
      for (const attribute of element.getAttributeNames()) expect(attribute.startsWith("on"), `${element.tagName} ${attribute}`).toBe(false);
    }
    expect(doc.querySelectorAll("img, iframe, object, embed, form")).toHaveLength(0);
    for (const link of doc.querySelectorAll("[href]")) expect(link.getAttribute("href")).toMatch(/^(https?:\/\/|#|\/)/);
    for (const link of doc.querySelectorAll("a[href^='http']")) expect(link.getAttribute("rel")).toBe("nofollow noopener");

    // The payloads are there, as text.
    const text = doc.body.textContent ?? "";
    expect(text).toContain(PAYLOAD);
    expect(text).toContain("click me");
    expect(doc.title).toContain(SCRIPT);
    // And as data in the JSON-LD, which never closes its element early.
    const reviews = scripts.map((s) => JSON.parse(s.textContent ?? "") as { itemReviewed: { author: { name: string } }; reviewRating: { ratingExplanation: string } });
    expect(reviews[0]!.itemReviewed.author.name).toBe(PAYLOAD);
    expect(reviews[0]!.reviewRating.ratingExplanation).toBe(PAYLOAD);
    // No URL in the data is anything but http(s) either.
    const urls: string[] = [];
    JSON.stringify(reviews, (key, value: unknown) => (key === "url" && typeof value === "string" ? (urls.push(value), value) : value));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^https:\/\//);
  });

  it("is styled only by its inline stylesheet, which its Content-Security-Policy names by hash, and allows no script", () => {
    const page = renderPublicationPage(contentOf(fixture()));
    const doc = parse(page.html);
    const styles = [...doc.querySelectorAll("style")];
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(styles[0]!.textContent ?? "").digest("base64");
    expect(page.csp).toContain(`style-src 'sha256-${hash}'`);
    expect(page.csp).toMatch(/^default-src 'none';/);
    expect(page.csp).not.toMatch(/script-src|unsafe/);
    expect(doc.querySelectorAll("[style]")).toHaveLength(0);
  });

  it("highlights each public claim in the text under its anchor, lists it at the top, and shows its review without internal threads", () => {
    const f = fixture({ approveBoth: true });
    const content = contentOf(f, "all");
    const doc = parse(renderPublicationPage(content).html);
    for (const [i, claim] of content.claims.entries()) {
      const anchor = doc.getElementById(`claim-${claim.id}`)!;
      expect(anchor.tagName).toBe("MARK");
      expect(doc.querySelector(`nav a[href="#claim-${claim.id}"]`)?.textContent).toBe(claim.quote);
      const review = doc.getElementById(`review-${claim.id}`)!;
      expect(review.querySelector("h3")?.textContent).toBe(`Claim ${i + 1} Verdict: ${claim.verdict!.label}`);
      expect(review.textContent).toContain(claim.rationale);
      expect(review.querySelector(".credits")?.textContent).toContain("Approved by Edith Editor");
    }
    const evidence = doc.querySelector(".evidence li")!;
    expect(evidence.querySelector(".stance")?.textContent).toBe("✗Refutes");
    expect(evidence.querySelector(".stance [aria-hidden='true']")?.textContent).toBe("✗");
    // The methodology lists the whole scale with its definitions.
    expect([...doc.querySelectorAll(".methodology dd")].map((d) => d.textContent)).toEqual(content.scale.map((v) => v.definition));
    // Internal comments never appear.
    expect(doc.body.textContent).not.toContain("Which critics?");
    expect(doc.body.textContent).not.toContain("The opposition.");
    // The summary leads.
    expect(doc.querySelector(".summary .takeaway")?.textContent).toBe("Unemployment fell by 4 percent, not 40.");
    // Open Graph and Twitter tags.
    expect(doc.querySelector("meta[property='og:url']")?.getAttribute("content")).toBe(content.url);
    expect(doc.querySelector("meta[name='twitter:card']")?.getAttribute("content")).toBe("summary");
  });

  it("shows the corrections log, newest first, with what changed, and links earlier versions", () => {
    const content = contentOf(fixture(), undefined, {
      number: 3,
      corrections: [
        { number: 2, at: "2024-04-10T09:00:00.000Z", note: "Added a source.", changes: [{ kind: "evidence-changed", claimId: "x", quote: "q" }] },
        { number: 3, at: "2024-05-01T09:00:00.000Z", note: "The ONS revised its figure.", changes: [{ kind: "verdict-changed", claimId: "x", quote: "q", from: "Mixed", to: "Mostly false" }] },
      ],
    });
    const doc = parse(renderPublicationPage(content).html);
    const entries = [...doc.querySelectorAll(".corrections > ol > li")];
    expect(entries.map((li) => li.querySelector("time")?.getAttribute("datetime"))).toEqual(["2024-05-01T09:00:00.000Z", "2024-04-10T09:00:00.000Z"]);
    expect(entries[0]!.textContent).toContain("The ONS revised its figure.");
    expect(entries[0]!.textContent).toContain("Mixed → Mostly false");
    expect([...doc.querySelectorAll(".versions a")].map((a) => a.getAttribute("href"))).toEqual(["/p/desk/jobs/v/1", "/p/desk/jobs/v/2"]);
  });

  it("explains an unpublished article, escaping its title and reason", () => {
    const page = renderGonePage({ title: SCRIPT, reason: ONERROR, at: new Date("2024-06-01T00:00:00Z") });
    const doc = parse(page.html);
    expect(doc.querySelector("h1")?.textContent).toBe("This fact check has been unpublished");
    expect(doc.body.textContent).toContain(ONERROR);
    expect(doc.querySelectorAll("script, img")).toHaveLength(0);
    expect(parse(renderNotFoundPage().html).querySelector("h1")?.textContent).toBe("Not found");
  });
});
