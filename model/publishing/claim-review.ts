import type { VerdictScale } from "../verdict-scale";
import { dateModified, type PublicClaim, type PublicationContent } from "./types";

/** schema.org types as plain JSON-LD objects. */
type JsonLd = Record<string, unknown>;

/** A schema.org ClaimReview, as https://schema.org/ClaimReview and Google's fact-check markup describe it. */
export interface ClaimReviewJsonLd extends JsonLd {
  "@context": "https://schema.org";
  "@type": "ClaimReview";
  url: string;
  claimReviewed: string;
  datePublished: string;
  dateModified?: string;
  author: { "@type": "Organization"; name: string; url?: string };
  reviewRating: {
    "@type": "Rating";
    ratingValue: number;
    bestRating: number;
    worstRating: number;
    alternateName: string;
    ratingExplanation?: string;
  };
  itemReviewed: {
    "@type": "Claim";
    author?: { "@type": "Person" | "Organization"; name: string };
    datePublished?: string;
    appearance?: JsonLd;
  };
}

/** The best and worst `ratingValue` on a scale. */
export function ratingBounds(scale: VerdictScale): { best: number; worst: number } {
  const values = scale.map((v) => v.ratingValue);
  return { best: Math.max(...values), worst: Math.min(...values) };
}

/** The anchor of a claim on the published page. */
export function claimAnchor(claimId: string): string {
  return `claim-${claimId}`;
}

/** The page address of a claim: the page URL plus `#claim-<id>`. */
export function claimUrl(pageUrl: string, claimId: string): string {
  return `${pageUrl}#${claimAnchor(claimId)}`;
}

/**
 * Who made the claim. The desk records the claimant as a name only; a claimant that is the source's
 * publisher is an Organization, anyone else is taken to be a Person. Without a claimant the
 * source's author (a Person) or publisher (an Organization) made it.
 */
function claimAuthor(claim: PublicClaim, content: Pick<PublicationContent, "article">): ClaimReviewJsonLd["itemReviewed"]["author"] {
  const { author, publisher } = content.article;
  const claimant = claim.claimant.trim();
  if (claimant) return { "@type": publisher && claimant.toLowerCase() === publisher.trim().toLowerCase() ? "Organization" : "Person", name: claimant };
  if (author?.trim()) return { "@type": "Person", name: author.trim() };
  if (publisher?.trim()) return { "@type": "Organization", name: publisher.trim() };
  return undefined;
}

/** The source article, where the claim appeared. */
function appearance(content: Pick<PublicationContent, "article">): JsonLd | undefined {
  const { sourceUrl, title, author, publisher, publishedOn } = content.article;
  if (!sourceUrl || !/^https?:\/\//i.test(sourceUrl)) return undefined;
  return {
    "@type": "CreativeWork",
    url: sourceUrl,
    headline: title,
    ...(author ? { author: { "@type": "Person", name: author } } : {}),
    ...(publisher ? { publisher: { "@type": "Organization", name: publisher } } : {}),
    ...(publishedOn ? { datePublished: publishedOn } : {}),
  };
}

/**
 * The ClaimReview JSON-LD of one public claim: the claim reviewed, the rating with its label and the
 * scale's best and worst values, the claim's URL on the page, the desk as author, when it was first
 * published (and last corrected), and the claim itself with who made it, where and when. Null for
 * a claim without a verdict, which has nothing to review.
 */
export function buildClaimReview(
  content: Pick<PublicationContent, "url" | "desk" | "article" | "scale" | "corrections">,
  claim: PublicClaim,
): ClaimReviewJsonLd | null {
  const verdict = claim.verdict;
  if (!verdict) return null;
  const { best, worst } = ratingBounds(content.scale);
  const modified = dateModified(content);
  const claimDate = claim.appearedOn || content.article.publishedOn || undefined;
  const author = claimAuthor(claim, content);
  const where = appearance(content);
  return {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    url: claimUrl(content.url, claim.id),
    claimReviewed: claim.quote,
    datePublished: claim.firstPublishedAt,
    ...(modified && Date.parse(modified) > Date.parse(claim.firstPublishedAt) ? { dateModified: modified } : {}),
    author: { "@type": "Organization", name: content.desk.name },
    reviewRating: {
      "@type": "Rating",
      ratingValue: verdict.ratingValue,
      bestRating: best,
      worstRating: worst,
      alternateName: verdict.label,
      ...(claim.rationale.trim() ? { ratingExplanation: claim.rationale.trim() } : {}),
    },
    itemReviewed: {
      "@type": "Claim",
      ...(author ? { author } : {}),
      ...(claimDate ? { datePublished: claimDate } : {}),
      ...(where ? { appearance: where, firstAppearance: where } : {}),
    },
  };
}

/** One ClaimReview per public claim that has a verdict, in the page's order. */
export function buildClaimReviews(content: Pick<PublicationContent, "url" | "desk" | "article" | "scale" | "corrections" | "claims">): ClaimReviewJsonLd[] {
  return content.claims.flatMap((claim) => buildClaimReview(content, claim) ?? []);
}

/**
 * JSON for an inline `<script type="application/ld+json">`: `<`, `>` and `&` become \u escapes (so no
 * user text can close the element or open a comment), as do the line separators JSON allows but
 * JavaScript did not.
 */
export function jsonLdText(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
