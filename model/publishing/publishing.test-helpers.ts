import * as Y from "yjs";
import { bodyToJson, encodeBodySeed } from "../article-doc";
import { plainTextToDoc, type ProseMirrorJson } from "../editor-extensions";
import { addEvidence, addMessage, anchorPositionsAt, approveClaim, createThread, encodeReviewSeed, quoteSelector, updateClaim, type EvidenceInput } from "../review";
import { approveSummary, setSummaryRating, setTakeaway } from "../summary";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { assembleClaims, assembleSummary, type ArticleDocs, type PersonLookup } from "./assemble";
import { linearText } from "./highlight";
import { PUBLICATION_CONTENT_VERSION, type PublicationContent } from "./types";

/** Test-only fixtures for the publishing model: real documents, edited through model/review operations. */

export const PEOPLE = {
  checker: { id: "11111111-1111-4111-8111-111111111111", name: "Chris Checker" },
  editor: { id: "22222222-2222-4222-8222-222222222222", name: "Edith Editor" },
  commenter: { id: "33333333-3333-4333-8333-333333333333", name: "Cora Commenter" },
} as const;

export const person: PersonLookup = (id) => Object.values(PEOPLE).find((p) => p.id === id) ?? null;

/** An article with a heading, formatting, a link, a list and a hard break. */
export const BODY: ProseMirrorJson = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Jobs figures" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "The minister said " },
        { type: "text", text: "unemployment fell by 40 percent", marks: [{ type: "bold" }] },
        { type: "text", text: " last year, " },
        { type: "text", text: "according to the ministry", marks: [{ type: "link", attrs: { href: "https://example.org/ministry" } }] },
        { type: "text", text: "." },
        { type: "hardBreak" },
        { type: "text", text: "Critics disagreed." },
      ],
    },
    {
      type: "bulletList",
      content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "More than 90 countries sent fighters." }] }] }],
    },
  ],
};

export const EVIDENCE: EvidenceInput = {
  url: "https://www.ons.gov.uk/unemployment",
  title: "Unemployment, UK: March 2024",
  publisher: "Office for National Statistics",
  stance: "refutes",
  note: "The fall was 4 percent, not 40.",
};

/** A body document seeded from `content`, as the server seeds it. */
export function bodyDoc(content: ProseMirrorJson = BODY): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeBodySeed(content));
  return doc;
}

/** An anchor on the first occurrence of `phrase` in the body's linear text. */
export function anchorFor(body: Y.Doc, phrase: string) {
  const text = linearText(bodyToJson(body));
  const from = text.indexOf(phrase);
  if (from === -1) throw new Error(`"${phrase}" is not in the body`);
  const positions = anchorPositionsAt(body, from, from + phrase.length);
  if (!positions) throw new Error(`no anchor for "${phrase}"`);
  return { ...positions, quote: quoteSelector(text, from, from + phrase.length) };
}

export interface Fixture {
  docs: ArticleDocs;
  claims: { jobs: string; countries: string };
  comment: string;
}

/**
 * Documents with two claims (the first approved with a verdict and evidence, the second only
 * flagged unless `approveBoth`), a comment thread with a reply, and an approved summary.
 */
export function fixture(options: { approveBoth?: boolean; text?: Partial<Record<"verdictNote" | "comment", string>> } = {}): Fixture {
  const body = bodyDoc();
  const review = new Y.Doc();
  Y.applyUpdate(review, encodeReviewSeed());
  const { checker, editor, commenter } = PEOPLE;
  const jobs = createThread(review, { kind: "claim", anchor: anchorFor(body, "unemployment fell by 40 percent last year"), by: checker.id, claim: { claimant: "The minister", appearedIn: "Radio interview", appearedOn: "2024-03-01" } });
  updateClaim(review, jobs, { by: checker.id, patch: { verdict: "false", rationale: options.text?.verdictNote ?? "Official figures show a 4 percent fall.", state: "in_review" } });
  addEvidence(review, jobs, { by: checker.id, evidence: EVIDENCE });
  approveClaim(review, jobs, { by: editor.id });
  const countries = createThread(review, { kind: "claim", anchor: anchorFor(body, "More than 90 countries"), by: checker.id });
  updateClaim(review, countries, { by: checker.id, patch: { verdict: "mostly-true", rationale: "UN figures say 110 countries.", state: "in_review" } });
  if (options.approveBoth) approveClaim(review, countries, { by: editor.id });
  const comment = createThread(review, { kind: "comment", anchor: anchorFor(body, "Critics disagreed."), by: commenter.id, message: { body: options.text?.comment ?? "Which critics?", mentions: [] } });
  addMessage(review, comment, { by: checker.id, body: "The opposition.", mentions: [] });

  // The summary's write-up lives in the same fragment, with the same schema, as the article text.
  const summary = bodyDoc(plainTextToDoc("The central figure is wrong by a factor of ten."));
  setSummaryRating(summary, { by: checker.id, rating: "mostly-false" });
  setTakeaway(summary, { by: checker.id, takeaway: "Unemployment fell by 4 percent, not 40." });
  approveSummary(summary, { by: editor.id });
  return { docs: { body, review, summary }, claims: { jobs, countries }, comment };
}

/** A publication's content assembled from a fixture, as the publishing service assembles it. */
export function contentOf(f: Fixture, claimIds: string[] | "all" = [f.claims.jobs], overrides: Partial<PublicationContent> = {}): PublicationContent {
  const now = "2024-04-02T10:00:00.000Z";
  return {
    version: PUBLICATION_CONTENT_VERSION,
    number: 1,
    url: "https://desk.example/p/desk/jobs",
    versionUrl: "https://desk.example/p/desk/jobs/v/1",
    publishedAt: now,
    firstPublishedAt: now,
    publishedBy: PEOPLE.editor,
    desk: { name: "Example Desk", slug: "desk" },
    article: {
      id: "44444444-4444-4444-8444-444444444444",
      slug: "jobs",
      title: "Minister hails record jobs figures",
      sourceUrl: "https://news.example/jobs",
      publisher: "News Example",
      author: "Jane Reporter",
      publishedOn: "2024-03-02",
    },
    body: bodyToJson(f.docs.body),
    claims: assembleClaims(f.docs, { claimIds, scale: DEFAULT_VERDICT_SCALE, person, now }),
    summary: assembleSummary(f.docs.summary, { scale: DEFAULT_VERDICT_SCALE, person, approvedOnly: true }),
    scale: DEFAULT_VERDICT_SCALE,
    corrections: [],
    ...overrides,
  };
}
