import type { ProseMirrorJson } from "../editor-extensions";
import type { Anchor, ClaimState, Stance } from "../review/schema";
import type { Verdict, VerdictScale } from "../verdict-scale";

/**
 * What a publication is made of. It is stored as JSON next to the rendered page and its JSON-LD, so
 * a later correction can say what changed, and the exports can be built from the same shape as the
 * page. Every string in it is user text and is rendered as text, never as markup.
 */

/** Bumped when the shape of stored publication content changes. */
export const PUBLICATION_CONTENT_VERSION = 1;

/** Someone the page names: who checked, who approved, who published. */
export interface PublicPerson {
  id: string;
  name: string;
}

/** A piece of evidence as readers see it. */
export interface PublicEvidence {
  id: string;
  /** Always an http(s) URL (the review schema refuses anything else). */
  url: string;
  title: string;
  publisher: string;
  stance: Stance;
  note: string;
}

/** One public claim, with its verdict as the desk's scale defined it when it was published. */
export interface PublicClaim {
  id: string;
  /** The passage as it reads in the published text (the stored quote when it no longer resolves). */
  quote: string;
  /** A W3C TextQuoteSelector for the passage. */
  selector: Anchor["quote"];
  /** Where the passage sits in the text (offsets into the body's linear text), null when orphaned. */
  range: { from: number; to: number } | null;
  claimant: string;
  appearedIn: string;
  /** A calendar date, or "" when unknown. */
  appearedOn: string;
  /** The claim's effective workflow state; always "approved" in a publication. */
  state: ClaimState;
  /** Null when no verdict is set or its key is not on the scale any more (exports only; never published). */
  verdict: Verdict | null;
  rationale: string;
  evidence: PublicEvidence[];
  /** Who set the verdict and who added evidence. */
  checkedBy: PublicPerson[];
  approvedBy: PublicPerson | null;
  /** ISO instant. */
  approvedAt: string | null;
  /** ISO instant of the first publication that made this claim public (its review's `datePublished`). */
  firstPublishedAt: string;
}

/** The desk's verdict on the article as a whole. */
export interface PublicSummary {
  /** The write-up as ProseMirror JSON (the article's Tiptap schema). */
  body: ProseMirrorJson;
  text: string;
  rating: Verdict | null;
  takeaway: string;
  ratedBy: PublicPerson | null;
  approvedBy: PublicPerson | null;
  approvedAt: string | null;
}

/** What a correction changed, computed from the previous publication and the new one. */
export type CorrectionChange =
  | { kind: "verdict-changed"; claimId: string; quote: string; from: string | null; to: string | null }
  | { kind: "claim-added" | "claim-removed" | "rationale-changed" | "evidence-changed"; claimId: string; quote: string }
  | { kind: "rating-changed"; from: string | null; to: string | null }
  | { kind: "summary-changed" | "text-changed" };

/** One entry of the public corrections log. */
export interface Correction {
  /** The publication that made it. */
  number: number;
  /** ISO instant. */
  at: string;
  /** The editor's note: why it changed. */
  note: string;
  changes: CorrectionChange[];
}

/** The article's own facts, as imported. */
export interface PublishedArticle {
  id: string;
  slug: string;
  title: string;
  sourceUrl: string | null;
  publisher: string | null;
  author: string | null;
  /** A calendar date, or null. */
  publishedOn: string | null;
}

/** The fields of an article that a publication shows (whatever else the record holds is dropped). */
export function publishedArticle(article: PublishedArticle): PublishedArticle {
  const { id, slug, title, sourceUrl, publisher, author, publishedOn } = article;
  return { id, slug, title, sourceUrl, publisher, author, publishedOn };
}

/** The desk that publishes. */
export interface PublishingDesk {
  name: string;
  slug: string;
}

/** Everything a publication (or an export of the article now) shows. */
export interface PublicationContent {
  version: typeof PUBLICATION_CONTENT_VERSION;
  /** 1, 2, 3… per article; 0 for an export of the current state. */
  number: number;
  /** The page's canonical address (the latest version). */
  url: string;
  /** This version's own address (`…/v/<n>`). */
  versionUrl: string;
  /** ISO instant this publication was made. */
  publishedAt: string;
  /** ISO instant of the first publication of the article. */
  firstPublishedAt: string;
  publishedBy: PublicPerson | null;
  desk: PublishingDesk;
  article: PublishedArticle;
  /** The article text as ProseMirror JSON, without highlights. */
  body: ProseMirrorJson;
  claims: PublicClaim[];
  summary: PublicSummary | null;
  /** The methodology: the desk's verdict scale with its definitions, best first. */
  scale: VerdictScale;
  /** Oldest first. */
  corrections: Correction[];
}

/** When the page was last corrected (schema.org `dateModified`), if ever. */
export function dateModified(content: Pick<PublicationContent, "corrections">): string | null {
  return content.corrections.at(-1)?.at ?? null;
}
