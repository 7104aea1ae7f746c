import type { ClaimReviewJsonLd, PublicationContent } from "@/model/publishing";

/** A page ready to store or serve: its HTML and the Content-Security-Policy that must go with it. */
export interface RenderedPage {
  html: string;
  csp: string;
}

/**
 * The public pages' markup, which lives in components/publication (lib/ may not import it): the
 * app's routes hand it in. Every renderer escapes all user text.
 */
export interface PublicationPages {
  /** A publication's page, its policy and its ClaimReview JSON-LD (rendered once, then stored). */
  publication(content: PublicationContent): RenderedPage & { jsonLd: ClaimReviewJsonLd[] };
  /** The explanation served with 410 once an article is unpublished. */
  gone(params: { title: string; reason: string | null; at: Date | null }): RenderedPage;
  /** The page served with 404 for an unknown address. */
  notFound(): RenderedPage;
}
