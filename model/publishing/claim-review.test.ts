import { describe, expect, it } from "vitest";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { buildClaimReview, buildClaimReviews, claimUrl, jsonLdText, ratingBounds } from "./claim-review";
import { contentOf, fixture } from "./publishing.test-helpers";

describe("buildClaimReview", () => {
  const f = fixture();
  const content = contentOf(f);
  const claim = content.claims[0]!;

  it("produces every required and recommended ClaimReview field from a claim", () => {
    const review = buildClaimReview(content, claim)!;
    expect(review).toEqual({
      "@context": "https://schema.org",
      "@type": "ClaimReview",
      url: `https://desk.example/p/desk/jobs#claim-${f.claims.jobs}`,
      claimReviewed: "unemployment fell by 40 percent last year",
      datePublished: "2024-04-02T10:00:00.000Z",
      author: { "@type": "Organization", name: "Example Desk" },
      reviewRating: {
        "@type": "Rating",
        ratingValue: 3,
        bestRating: 7,
        worstRating: 1,
        alternateName: "False",
        ratingExplanation: "Official figures show a 4 percent fall.",
      },
      itemReviewed: {
        "@type": "Claim",
        author: { "@type": "Person", name: "The minister" },
        datePublished: "2024-03-01",
        appearance: {
          "@type": "CreativeWork",
          url: "https://news.example/jobs",
          headline: "Minister hails record jobs figures",
          author: { "@type": "Person", name: "Jane Reporter" },
          publisher: { "@type": "Organization", name: "News Example" },
          datePublished: "2024-03-02",
        },
        firstAppearance: {
          "@type": "CreativeWork",
          url: "https://news.example/jobs",
          headline: "Minister hails record jobs figures",
          author: { "@type": "Person", name: "Jane Reporter" },
          publisher: { "@type": "Organization", name: "News Example" },
          datePublished: "2024-03-02",
        },
      },
    });
    // No dateModified before any correction.
    expect(review).not.toHaveProperty("dateModified");
  });

  it("takes the rating bounds from the desk's scale, whatever its order or size", () => {
    expect(ratingBounds(DEFAULT_VERDICT_SCALE)).toEqual({ best: 7, worst: 1 });
    const scale = DEFAULT_VERDICT_SCALE.slice(2, 5).map((v, i) => ({ ...v, ratingValue: 10 - i * 4 }));
    const review = buildClaimReview({ ...content, scale }, { ...claim, verdict: scale[1]! })!;
    expect(review.reviewRating).toMatchObject({ ratingValue: 6, bestRating: 10, worstRating: 2, alternateName: scale[1]!.label });
  });

  it("sets dateModified once a correction came after the claim was published", () => {
    const corrected = { ...content, corrections: [{ number: 2, at: "2024-05-01T09:00:00.000Z", note: "Fixed a figure.", changes: [] }] };
    expect(buildClaimReview(corrected, claim)?.dateModified).toBe("2024-05-01T09:00:00.000Z");
  });

  it("names the claim's author from the source when no claimant was recorded, and an organisation claimant as one", () => {
    expect(buildClaimReview(content, { ...claim, claimant: "" })?.itemReviewed.author).toEqual({ "@type": "Person", name: "Jane Reporter" });
    expect(buildClaimReview(content, { ...claim, claimant: "news example" })?.itemReviewed.author).toEqual({ "@type": "Organization", name: "news example" });
    const noSource = { ...content, article: { ...content.article, sourceUrl: null, author: null, publishedOn: null } };
    const review = buildClaimReview(noSource, { ...claim, claimant: "", appearedOn: "" })!;
    expect(review.itemReviewed).toEqual({ "@type": "Claim", author: { "@type": "Organization", name: "News Example" } });
  });

  it("reviews only claims with a verdict, one block each, with the page URL plus #claim-<id>", () => {
    expect(buildClaimReview(content, { ...claim, verdict: null })).toBeNull();
    const both = contentOf(fixture({ approveBoth: true }), "all");
    const reviews = buildClaimReviews(both);
    expect(reviews.map((r) => r.url)).toEqual(both.claims.map((c) => claimUrl(both.url, c.id)));
    expect(reviews.map((r) => r.reviewRating.alternateName)).toEqual(["False", "Mostly true"]);
  });
});

describe("jsonLdText", () => {
  it("keeps script-closing and comment-opening text out of an inline JSON-LD block, and round-trips", () => {
    const value = { claimReviewed: "</script><script>alert(1)</script> <!-- & \u2028" };
    const text = jsonLdText(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
