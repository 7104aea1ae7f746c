import { Mark, type Extensions } from "@tiptap/core";
import type { DOMOutputSpec, Mark as PmMark, Node as PmNode } from "@tiptap/pm/model";
import { renderToElement, TiptapStaticRenderer } from "@tiptap/static-renderer";
import type { ElementContent, Properties } from "hast";
import { h } from "hastscript";
import { articleExtensions, type ProseMirrorJson } from "@/model/editor-extensions";
import { CLAIM_MARK, type ClaimMarkAttrs } from "@/model/publishing/highlight";
import { reviewAnchor } from "./anchors";

/**
 * The mark `highlightClaims` puts on a claim's passage. It only exists for the published page's
 * renderer (the editor never holds it). Several claims may cover the same text, and it is the
 * lowest-priority mark, so the renderer puts it outermost and a reference after it never lands
 * inside a link.
 */
const PublicClaim = Mark.create({
  name: CLAIM_MARK,
  priority: 1,
  excludes: "",
  inclusive: false,
  addAttributes() {
    return { id: { default: null }, number: { default: 0 }, first: { default: false }, last: { default: false } };
  },
  renderHTML() {
    return ["mark", 0];
  },
});

const EXTENSIONS: Extensions = [...articleExtensions, PublicClaim];

/** Attributes that the schema's own renderers may put on the page (everything else is dropped). */
const KEPT_ATTRIBUTES = new Set(["start"]);

/** An http(s) URL, normalised, or null for anything else (javascript:, data:, mailto:, relative). */
export function safeHref(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** An outgoing link: http(s) only, never followed for ranking, never given the opener. */
export function externalLink(href: string, children: ElementContent[] | string): ElementContent {
  return h("a", { href, rel: ["nofollow", "noopener"] }, children);
}

type Hast = ElementContent[];
const flat = (children: Hast | Hast[] | undefined): Hast => (children ?? []).flat() as Hast;

/** Turns the schema's renderHTML output into hast, keeping only known-safe attributes. */
function specToHast(spec: DOMOutputSpec): (hole: Hast) => Hast {
  if (typeof spec === "string") return () => [{ type: "text", value: spec }];
  if (!Array.isArray(spec)) throw new Error("unsupported DOMOutputSpec in the published page");
  const [tagSpec, ...rest] = spec as readonly unknown[];
  const tag = String(tagSpec).split(" ").at(-1)!;
  let attrs: Record<string, unknown> = {};
  let children = rest;
  if (rest[0] !== null && typeof rest[0] === "object" && !Array.isArray(rest[0])) {
    attrs = rest[0] as Record<string, unknown>;
    children = rest.slice(1);
  }
  const properties: Properties = {};
  for (const [key, value] of Object.entries(attrs)) if (KEPT_ATTRIBUTES.has(key) && (typeof value === "number" || typeof value === "string")) properties[key] = value;
  return (hole) => [h(tag, properties, children.flatMap((child) => (child === 0 ? hole : specToHast(child as DOMOutputSpec)(hole))))];
}

/**
 * The article text (with `highlightClaims` marks) as hast, through the editor's own Tiptap schema
 * and its nodes' renderers, so the page shows exactly what the editor holds. Links are http(s) only
 * with rel="nofollow noopener"; each claim's first piece carries its anchor id and its last piece is
 * followed by a numbered reference to the claim's review.
 */
export function renderArticleText(doc: ProseMirrorJson, claimAnchor: (claimId: string) => string): Hast {
  return renderToElement<Hast>({
    // Each mapping is called with its own props; the union the renderer types them as is not callable as is.
    renderer: (options) => TiptapStaticRenderer<Hast, PmMark, PmNode>((ctx) => (ctx.component as (props: unknown) => Hast)(ctx.props), options),
    domOutputSpecToElement: (spec) => (children) => specToHast(spec)(flat(children as Hast | Hast[])),
    mapDefinedTypes: {
      doc: ({ children }) => flat(children),
      text: ({ node }) => [{ type: "text", value: node.text ?? "" }],
    },
    content: doc,
    extensions: EXTENSIONS,
    options: {
      // The page's h1 is the title and its sections are h2: the text's own headings go one level down.
      nodeMapping: {
        heading: ({ node, children }) => [h(`h${Math.min(6, Number(node.attrs.level ?? 2) + 1)}`, flat(children))],
      },
      markMapping: {
        link: ({ mark, children }) => {
          const href = safeHref(mark.attrs.href);
          return href ? [externalLink(href, flat(children))] : flat(children);
        },
        [CLAIM_MARK]: ({ mark, children }) => {
          const attrs = mark.attrs as ClaimMarkAttrs;
          const highlighted = h("mark", { className: ["claim"], ...(attrs.first ? { id: claimAnchor(attrs.id) } : {}) }, flat(children));
          if (!attrs.last) return [highlighted];
          const reference = h("sup", { className: ["claim-ref"] }, [
            h("a", { href: `#${reviewAnchor(attrs.id)}`, ariaLabel: `Claim ${attrs.number}: our finding` }, `[${attrs.number}]`),
          ]);
          return [highlighted, reference];
        },
      },
    },
  });
}
