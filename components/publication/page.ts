import type { ElementContent, Root } from "hast";
import { h, type Child } from "hastscript";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { claimAnchor, jsonLdText } from "@/model/publishing/claim-review";
import { describeChange } from "@/model/publishing/corrections";
import { highlightClaims } from "@/model/publishing/highlight";
import { dateModified, type PublicClaim, type PublicationContent, type PublicPerson, type PublicSummary } from "@/model/publishing/types";
import { publicationVersionPath } from "@/model/publishing/urls";
import { STANCE_LABELS, type Stance } from "@/model/review/schema";
import type { Verdict } from "@/model/verdict-scale";
import { reviewAnchor } from "./anchors";
import { externalLink, renderArticleText, safeHref } from "./article-text";
import { publicationCss, verdictClass } from "./styles";

/**
 * The published page as a hast tree: every piece of user text goes in as a text node or an
 * attribute value, and hast-util-to-html escapes it; nothing here writes markup by hand. The page
 * has no script (the JSON-LD blocks are data), works without JavaScript, and is styled by one inline
 * stylesheet that the caller names in the Content-Security-Policy.
 */

/** An icon (decorative, hidden from screen readers, which read the label) for each stance. */
const STANCE_ICONS: Record<Stance, string> = { supports: "✓", refutes: "✗", context: "ℹ" };

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** A date as readers see it, in a <time> element carrying the machine-readable value. */
function time(iso: string): ElementContent {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return h("time", { dateTime: iso }, Number.isNaN(date.getTime()) ? iso : DATE.format(date));
}

/** The verdicts a page shows, each once, in scale order and then any others; their index names their CSS class. */
function verdictsOf(content: PublicationContent): Verdict[] {
  const byKey = new Map<string, Verdict>();
  for (const v of [...content.scale, ...content.claims.flatMap((c) => c.verdict ?? []), ...(content.summary?.rating ? [content.summary.rating] : [])]) {
    if (!byKey.has(v.key)) byKey.set(v.key, v);
  }
  return [...byKey.values()];
}

function names(people: PublicPerson[]): string {
  return people.map((p) => p.name).join(", ");
}

/** Plain text with blank-line paragraphs, as paragraphs. */
function paragraphs(text: string): ElementContent[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => h("p", {}, p));
}

export interface PublicationPage {
  /** The whole document, ready for hast-util-to-html. */
  tree: Root;
  /** The stylesheet inlined in it (the caller hashes it for the CSP). */
  css: string;
}

/**
 * Builds the published page of `content`: head (title, canonical link, Open Graph and Twitter tags,
 * the stylesheet, one JSON-LD block per entry of `jsonLd`), the article's facts, the desk's summary
 * and rating, the table of claims, the text with each public claim highlighted, each claim's review
 * (verdict badge, rationale, evidence with stance, who checked and who approved), the methodology,
 * the corrections log and the versions.
 */
export function publicationPage(content: PublicationContent, jsonLd: readonly unknown[]): PublicationPage {
  const verdicts = verdictsOf(content);
  const classOf = new Map(verdicts.map((v, i) => [v.key, verdictClass(i)]));
  const css = publicationCss(verdicts);
  const badge = (verdict: Verdict | null, prefix = "Verdict: "): ElementContent =>
    verdict
      ? h("span", { className: ["verdict", classOf.get(verdict.key) ?? ""] }, [
          h("span", { className: ["swatch"], ariaHidden: "true" }),
          h("span", { className: ["visually-hidden"] }, prefix),
          verdict.label,
        ])
      : h("span", { className: ["verdict"] }, "No verdict");

  const numbered = content.claims.map((claim, i) => ({ claim, number: i + 1 }));
  const placed = new Set(content.claims.filter((c) => c.range).map((c) => c.id));
  // A claim whose passage is in the text takes its anchor there; one whose passage is gone takes it on its review.
  const anchorOf = (claim: PublicClaim) => (placed.has(claim.id) ? claimAnchor(claim.id) : reviewAnchor(claim.id));
  const reviewId = (claim: PublicClaim) => (placed.has(claim.id) ? reviewAnchor(claim.id) : claimAnchor(claim.id));
  const modified = dateModified(content);
  const description = describe(content);
  const title = `Fact check: ${content.article.title}`;

  const head = h("head", [
    h("meta", { charSet: "utf-8" }),
    h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
    h("title", `${title} — ${content.desk.name}`),
    h("meta", { name: "description", content: description }),
    h("link", { rel: ["canonical"], href: content.url }),
    h("link", { rel: ["icon"], href: "/icon.svg" }),
    h("meta", { property: "og:type", content: "article" }),
    h("meta", { property: "og:title", content: title }),
    h("meta", { property: "og:description", content: description }),
    h("meta", { property: "og:url", content: content.url }),
    h("meta", { property: "og:site_name", content: content.desk.name }),
    h("meta", { property: "article:published_time", content: content.firstPublishedAt }),
    ...(modified ? [h("meta", { property: "article:modified_time", content: modified })] : []),
    h("meta", { name: "twitter:card", content: "summary" }),
    h("meta", { name: "twitter:title", content: title }),
    h("meta", { name: "twitter:description", content: description }),
    h("style", css),
    ...jsonLd.map((block) => h("script", { type: "application/ld+json" }, jsonLdText(block))),
  ]);

  const source = safeHref(content.article.sourceUrl);
  const facts: Child[] = [];
  if (source || content.article.publisher) {
    facts.push("Source: ", source ? externalLink(source, content.article.publisher || new URL(source).host) : content.article.publisher!);
  }
  if (content.article.author) facts.push(`${facts.length ? " · " : ""}By ${content.article.author}`);
  if (content.article.publishedOn) facts.push(facts.length ? " · " : "", time(content.article.publishedOn));

  const header = h("header", [
    h("p", { className: ["meta"] }, `${content.desk.name} · Fact check`),
    h("h1", content.article.title),
    ...(facts.length ? [h("p", { className: ["source"] }, ...facts)] : []),
    h("p", { className: ["meta"] }, [
      "Published ",
      time(content.firstPublishedAt),
      ` by ${content.desk.name}`,
      ...(modified ? [" · Corrected ", time(modified)] : []),
      ...(content.publishedBy ? [` · Published by ${content.publishedBy.name}`] : []),
    ]),
  ]);

  const toc = numbered.length
    ? [
        h("nav", { className: ["toc"], ariaLabelledBy: "claims-heading" }, [
          h("h2", { id: "claims-heading" }, `Claims checked (${numbered.length})`),
          h(
            "ol",
            numbered.map(({ claim }) => h("li", [h("a", { href: `#${anchorOf(claim)}` }, claim.quote), " ", badge(claim.verdict)])),
          ),
        ]),
      ]
    : [];

  const text = renderArticleText(
    highlightClaims(
      content.body,
      numbered.flatMap(({ claim, number }) => (claim.range ? [{ id: claim.id, number, ...claim.range }] : [])),
    ),
    claimAnchor,
  );

  const reviews = numbered.map(({ claim, number }) =>
    h("article", { className: ["claim-review"], id: reviewId(claim), ariaLabelledBy: `${reviewId(claim)}-heading` }, [
      h("h3", { id: `${reviewId(claim)}-heading` }, [`Claim ${number} `, badge(claim.verdict)]),
      h("blockquote", claim.quote),
      ...(claimContext(claim) ? [h("p", { className: ["meta"] }, ...claimContext(claim)!)] : []),
      ...(claim.rationale.trim() ? [h("h4", "Why"), ...paragraphs(claim.rationale)] : []),
      ...(claim.evidence.length
        ? [
            h("h4", "Evidence"),
            h(
              "ul",
              { className: ["evidence"] },
              claim.evidence.map((e) => {
                const href = safeHref(e.url);
                const label = e.title.trim() || e.url;
                return h("li", [
                  h("span", { className: ["stance", `stance-${e.stance}`] }, [h("span", { ariaHidden: "true" }, STANCE_ICONS[e.stance]), STANCE_LABELS[e.stance]]),
                  href ? externalLink(href, label) : label,
                  ...(e.publisher.trim() ? [` — ${e.publisher}`] : []),
                  ...(e.note.trim() ? [h("br"), e.note] : []),
                ]);
              }),
            ),
          ]
        : []),
      h("p", { className: ["credits"] }, [
        ...(claim.checkedBy.length ? [`Checked by ${names(claim.checkedBy)}`] : []),
        ...(claim.approvedBy ? [`${claim.checkedBy.length ? " · " : ""}Approved by ${claim.approvedBy.name}`, ...(claim.approvedAt ? [" on ", time(claim.approvedAt)] : [])] : []),
      ]),
      ...(placed.has(claim.id) ? [h("p", { className: ["meta"] }, [h("a", { href: `#${claimAnchor(claim.id)}` }, "Back to the passage")])] : []),
    ]),
  );

  const methodology = h("section", { className: ["methodology"], ariaLabelledBy: "methodology-heading" }, [
    h("h2", { id: "methodology-heading" }, "How we rate claims"),
    h("p", `${content.desk.name} rates each claim on this scale, from best to worst. Every verdict is approved by an editor other than the checker who wrote it.`),
    h(
      "dl",
      content.scale.flatMap((v) => [h("dt", [badge(v, "Rating: ")]), h("dd", v.definition)]),
    ),
  ]);

  const corrections = content.corrections.length
    ? [
        h("section", { className: ["corrections"], ariaLabelledBy: "corrections-heading" }, [
          h("h2", { id: "corrections-heading" }, "Corrections"),
          h(
            "ol",
            { reversed: true },
            [...content.corrections].reverse().map((c) =>
              h("li", { id: `correction-${c.number}` }, [
                time(c.at),
                ": ",
                c.note,
                ...(c.changes.length ? [h("ul", c.changes.map((change) => h("li", describeChange(change))))] : []),
              ]),
            ),
          ),
        ]),
      ]
    : [];

  const versionLinks =
    content.number > 1
      ? [
          h("p", { className: ["versions"] }, [
            "Versions: ",
            ...Array.from({ length: content.number }, (_, i) => i + 1).flatMap((n, i) => [
              ...(i ? [" · "] : []),
              n === content.number
                ? h("span", `${n} (this one)`)
                : h("a", { href: publicationVersionPath({ teamSlug: content.desk.slug, articleSlug: content.article.slug, number: n }) }, String(n)),
            ]),
          ]),
        ]
      : [];

  const body = h("body", [
    h("div", { className: ["masthead"] }, `${content.desk.name} — fact check`),
    h("main", [
      h("article", [
        header,
        ...(content.summary ? [summarySection(content.summary, badge)] : []),
        ...toc,
        h("section", { className: ["article-text"], ariaLabelledBy: "text-heading" }, [h("h2", { id: "text-heading" }, "The article"), ...text]),
        h("section", { className: ["reviews"], ariaLabelledBy: "reviews-heading" }, [h("h2", { id: "reviews-heading" }, "Our findings"), ...reviews]),
        methodology,
        ...corrections,
        ...versionLinks,
      ]),
    ]),
    h("footer", { className: ["colophon"] }, [`Published by ${content.desk.name}. Version ${content.number}, `, time(content.publishedAt), "."]),
  ]);

  return { tree: { type: "root", children: [{ type: "doctype" }, h("html", { lang: "en" }, [head, body])] }, css };
}

/** Who said the claim, where and when, as one line; null when nothing is known. */
function claimContext(claim: PublicClaim): Child[] | null {
  const out: Child[] = [];
  if (claim.claimant.trim()) out.push(`Said by ${claim.claimant.trim()}`);
  if (claim.appearedIn.trim()) out.push(`${out.length ? " in " : "In "}${claim.appearedIn.trim()}`);
  if (claim.appearedOn) out.push(out.length ? ", " : "On ", time(claim.appearedOn));
  return out.length ? out : null;
}

function summarySection(summary: PublicSummary, badge: (verdict: Verdict | null, prefix?: string) => ElementContent): ElementContent {
  const body = summary.text.trim() ? renderArticleText(summary.body as ProseMirrorJson, (id) => id) : [];
  return h("section", { className: ["summary"], ariaLabelledBy: "summary-heading" }, [
    h("h2", { id: "summary-heading" }, "Our verdict on this article"),
    ...(summary.rating ? [h("p", [badge(summary.rating, "Overall rating: ")])] : []),
    ...(summary.takeaway.trim() ? [h("p", { className: ["takeaway"] }, summary.takeaway.trim())] : []),
    ...body,
    h("p", { className: ["credits"] }, [
      ...(summary.ratedBy ? [`Rated by ${summary.ratedBy.name}`] : []),
      ...(summary.approvedBy ? [`${summary.ratedBy ? " · " : ""}Approved by ${summary.approvedBy.name}`] : []),
    ]),
  ]);
}

/** The page's description for search results and link previews. */
function describe(content: PublicationContent): string {
  const takeaway = content.summary?.takeaway.trim();
  if (takeaway) return takeaway;
  const rating = content.summary?.rating ? `Overall: ${content.summary.rating.label}. ` : "";
  const n = content.claims.length;
  return `${rating}${content.desk.name} checked ${n} claim${n === 1 ? "" : "s"} in “${content.article.title}”.`;
}

/** The page that replaces an unpublished article (served with 410 Gone). */
export function gonePage(params: { title: string; reason: string | null; at: Date | null }): PublicationPage {
  const css = publicationCss([]);
  const tree: Root = {
    type: "root",
    children: [
      { type: "doctype" },
      h("html", { lang: "en" }, [
        h("head", [
          h("meta", { charSet: "utf-8" }),
          h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
          h("meta", { name: "robots", content: "noindex" }),
          h("title", `Unpublished: ${params.title}`),
          h("style", css),
        ]),
        h("body", [
          h("main", [
            h("div", { className: ["notice"] }, [
              h("h1", "This fact check has been unpublished"),
              h("p", ["The desk withdrew its fact check of “", params.title, "”", ...(params.at ? [" on ", time(params.at.toISOString())] : []), "."]),
              ...(params.reason ? [h("p", ["Why: ", params.reason])] : []),
            ]),
          ]),
        ]),
      ]),
    ],
  };
  return { tree, css };
}

/** The page for an address that names no published article or version (served with 404). */
export function notFoundPage(): PublicationPage {
  const css = publicationCss([]);
  const tree: Root = {
    type: "root",
    children: [
      { type: "doctype" },
      h("html", { lang: "en" }, [
        h("head", [h("meta", { charSet: "utf-8" }), h("meta", { name: "robots", content: "noindex" }), h("title", "Not found"), h("style", css)]),
        h("body", [h("main", [h("div", { className: ["notice"] }, [h("h1", "Not found"), h("p", "There is no published fact check at this address.")])])]),
      ]),
    ],
  };
  return { tree, css };
}
