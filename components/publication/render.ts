import { toHtml } from "hast-util-to-html";
import { toBase64 } from "lib0/buffer";
import { digest } from "lib0/hash/sha256";
import { buildClaimReviews, type ClaimReviewJsonLd, type PublicationContent } from "@/model/publishing";
import { gonePage, notFoundPage, publicationPage, type PublicationPage } from "./page";

/** A page ready to store or serve: its HTML and the Content-Security-Policy that must go with it. */
export interface RenderedPage {
  html: string;
  csp: string;
}

/**
 * The policy of a public page: nothing may load or run except the page's own inline stylesheet
 * (named by its hash) and images from the site itself or over https. No script-src at all, so no
 * script runs, whatever the text holds; the JSON-LD blocks are data, which CSP does not execute.
 */
export function publicPageCsp(css: string): string {
  const hash = toBase64(digest(new TextEncoder().encode(css)));
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    "img-src 'self' https:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function serialise(page: PublicationPage): RenderedPage {
  // hast-util-to-html escapes every text node and attribute value.
  return { html: toHtml(page.tree), csp: publicPageCsp(page.css) };
}

/** Renders a publication once, for storing: the page, its policy and its ClaimReview JSON-LD. */
export function renderPublicationPage(content: PublicationContent): RenderedPage & { jsonLd: ClaimReviewJsonLd[] } {
  const jsonLd = buildClaimReviews(content);
  return { ...serialise(publicationPage(content, jsonLd)), jsonLd };
}

/** The explanation that replaces an unpublished article. */
export function renderGonePage(params: { title: string; reason: string | null; at: Date | null }): RenderedPage {
  return serialise(gonePage(params));
}

let notFound: RenderedPage | undefined;

/** The page for an unknown public address (always the same, so rendered once). */
export function renderNotFoundPage(): RenderedPage {
  notFound ??= serialise(notFoundPage());
  return notFound;
}

/** Every page the public routes and the publishing service render, for lib/publishing to call. */
export const publicationPages = {
  publication: renderPublicationPage,
  gone: renderGonePage,
  notFound: renderNotFoundPage,
};
