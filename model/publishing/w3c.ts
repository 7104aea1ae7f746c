import type { Anchor } from "../review/schema";
import { STANCE_LABELS } from "../review/schema";
import type { PublicationContent, PublicPerson } from "./types";

/** The JSON-LD context of the W3C Web Annotation Data Model. */
export const ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

export type Motivation = "assessing" | "linking" | "commenting" | "replying" | "highlighting";

export interface TextQuoteSelector {
  type: "TextQuoteSelector";
  exact: string;
  prefix: string;
  suffix: string;
}

export interface TextualBody {
  type: "TextualBody";
  value: string;
  format: "text/plain";
  purpose?: "assessing" | "describing" | "tagging" | "commenting" | "replying";
}

export interface WebResourceBody {
  id: string;
  type: "Text";
  format: "text/html";
}

export interface Agent {
  type: "Person" | "Organization";
  name: string;
  id?: string;
}

/** One annotation of the collection. A reply targets the annotation it answers. */
export interface WebAnnotation {
  "@context": typeof ANNOTATION_CONTEXT;
  id: string;
  type: "Annotation";
  motivation: Motivation;
  created?: string;
  creator?: Agent;
  body?: (TextualBody | WebResourceBody)[];
  target: { source: string; selector: TextQuoteSelector } | string;
}

/** A W3C AnnotationCollection whose first (and only) page embeds every annotation. */
export interface AnnotationCollection {
  "@context": typeof ANNOTATION_CONTEXT;
  id: string;
  type: "AnnotationCollection";
  label: string;
  total: number;
  generated: string;
  first: { id: string; type: "AnnotationPage"; startIndex: 0; items: WebAnnotation[] };
}

/** A message of an internal thread, for members' exports. */
export interface InternalMessage {
  id: string;
  body: string;
  createdAt: string;
  author: PublicPerson | null;
}

/** A thread's discussion: a comment thread, or the messages on a claim. */
export interface InternalThread {
  id: string;
  kind: "comment" | "claim";
  selector: Anchor["quote"];
  /** Oldest first. */
  messages: InternalMessage[];
}

function selector(quote: Anchor["quote"]): TextQuoteSelector {
  return { type: "TextQuoteSelector", exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix };
}

function person(p: PublicPerson | null): Agent | undefined {
  return p ? { type: "Person", id: `urn:uuid:${p.id}`, name: p.name } : undefined;
}

const text = (value: string, purpose?: TextualBody["purpose"]): TextualBody => ({ type: "TextualBody", value, format: "text/plain", ...(purpose ? { purpose } : {}) });

/**
 * The article's annotations as a W3C Web Annotation collection (JSON-LD): each claim's verdict
 * ("assessing", or "highlighting" while it has none) with its rationale, each piece of evidence
 * ("linking" to its URL, its stance as a tag), and, only with `includeInternal`, the internal
 * discussion: a comment thread's first message "commenting" on the text and every later message
 * "replying" to it; messages on a claim reply to the claim's annotation. Every annotation on the text
 * targets `source` through a TextQuoteSelector.
 */
export function buildW3cAnnotations(params: {
  /** The collection's IRI; annotations get fragment ids under it. */
  id: string;
  /** The IRI of the annotated text (the source article, or the desk's copy of it). */
  source: string;
  content: Pick<PublicationContent, "article" | "desk" | "claims">;
  internal: readonly InternalThread[];
  includeInternal: boolean;
  generated: string;
}): AnnotationCollection {
  const { id: base, source, content } = params;
  const desk: Agent = { type: "Organization", name: content.desk.name };
  const items: WebAnnotation[] = [];
  const annotation = (fields: Omit<WebAnnotation, "@context" | "type">): WebAnnotation => ({ "@context": ANNOTATION_CONTEXT, type: "Annotation", ...fields });

  for (const claim of content.claims) {
    const target = { source, selector: selector(claim.selector) };
    const claimId = `${base}#claim-${claim.id}`;
    items.push(
      annotation({
        id: claimId,
        motivation: claim.verdict ? "assessing" : "highlighting",
        ...(claim.approvedAt ? { created: claim.approvedAt } : {}),
        creator: desk,
        ...(claim.verdict ? { body: [text(claim.verdict.label, "assessing"), ...(claim.rationale.trim() ? [text(claim.rationale, "describing")] : [])] } : {}),
        target,
      }),
    );
    for (const evidence of claim.evidence) {
      const about = [evidence.title, evidence.publisher].filter((s) => s.trim()).join(" — ");
      items.push(
        annotation({
          id: `${base}#evidence-${evidence.id}`,
          motivation: "linking",
          creator: desk,
          body: [
            { id: evidence.url, type: "Text", format: "text/html" },
            text(STANCE_LABELS[evidence.stance], "tagging"),
            ...(about ? [text(about, "describing")] : []),
            ...(evidence.note.trim() ? [text(evidence.note, "describing")] : []),
          ],
          target,
        }),
      );
    }
  }

  if (params.includeInternal) {
    for (const thread of params.internal) {
      const [first, ...rest] = thread.messages;
      let repliesTo = `${base}#claim-${thread.id}`;
      if (thread.kind === "comment") {
        if (!first) continue;
        repliesTo = `${base}#message-${first.id}`;
        items.push(
          annotation({
            id: repliesTo,
            motivation: "commenting",
            created: first.createdAt,
            ...(person(first.author) ? { creator: person(first.author) } : {}),
            body: [text(first.body, "commenting")],
            target: { source, selector: selector(thread.selector) },
          }),
        );
      }
      for (const message of thread.kind === "comment" ? rest : thread.messages) {
        items.push(
          annotation({
            id: `${base}#message-${message.id}`,
            motivation: "replying",
            created: message.createdAt,
            ...(person(message.author) ? { creator: person(message.author) } : {}),
            body: [text(message.body, "replying")],
            target: repliesTo,
          }),
        );
      }
    }
  }

  return {
    "@context": ANNOTATION_CONTEXT,
    id: base,
    type: "AnnotationCollection",
    label: `Annotations on “${content.article.title}” by ${content.desk.name}`,
    total: items.length,
    generated: params.generated,
    first: { id: `${base}#page-1`, type: "AnnotationPage", startIndex: 0, items },
  };
}
