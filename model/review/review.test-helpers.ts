import * as Y from "yjs";
import { bodyFragment, encodeBodySeed } from "../article-doc";
import type { ProseMirrorJson } from "../editor-extensions";
import type { Role } from "../roles";
import { DEFAULT_VERDICT_SCALE, type VerdictScale } from "../verdict-scale";
import { encodePosition, quoteSelector } from "./anchors";
import { changedThreads } from "./changes";
import { encodeReviewSeed, readThread, readThreadRaw, threadsMap } from "./layout";
import type { Anchor, Thread } from "./schema";
import { validateThreadChange, type ReviewActor, type ReviewVerdict } from "./validate";

/** Test-only helpers shared by the review model tests and the server's guard test. */

/** Fixed user ids (valid UUIDs, as the schema wants). */
export const USER = {
  me: "11111111-1111-4111-8111-111111111111",
  other: "22222222-2222-4222-8222-222222222222",
  third: "33333333-3333-4333-8333-333333333333",
} as const;

export const actorAs = (role: Role, userId: string = USER.me): ReviewActor => ({ role, userId });

export const ARTICLE_TEXT = [
  "The minister said unemployment fell by 40 percent last year.",
  "More than 16,000 foreign terrorist fighters from more than 90 countries travelled to the region.",
];

/** A body document with two paragraphs of plain text. */
export function articleBody(paragraphs: string[] = ARTICLE_TEXT): Y.Doc {
  const content: ProseMirrorJson = {
    type: "doc",
    content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
  };
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeBodySeed(content));
  return doc;
}

/** The Y.XmlText holding the text of paragraph `index`. */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = bodyFragment(doc).get(index);
  if (!(paragraph instanceof Y.XmlElement)) throw new Error(`no paragraph ${index}`);
  const text = paragraph.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error(`paragraph ${index} holds no text`);
  return text;
}

/**
 * An anchor on `from`–`to` of one paragraph: the start before the first character (assoc 0, sticks to
 * it), the end after the last character (assoc -1, sticks to it), so text typed at either edge stays
 * outside the anchor. The quote is taken from the paragraph's text alone.
 */
export function anchorIn(xmlText: Y.XmlText, from: number, to: number): Anchor {
  const text = (xmlText.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
  return {
    start: encodePosition(Y.createRelativePositionFromTypeIndex(xmlText, from, 0)),
    end: encodePosition(Y.createRelativePositionFromTypeIndex(xmlText, to, -1)),
    quote: quoteSelector(text, from, to),
  };
}

let sampleBody: Y.Doc | undefined;
/** A valid anchor on a passage of the sample article (`which` picks one of a few). */
export function sampleAnchor(which = 0): Anchor {
  sampleBody ??= articleBody();
  const ranges: [paragraph: number, from: number, to: number][] = [
    [0, 18, 60],
    [1, 0, 95],
    [1, 10, 40],
  ];
  const [p, from, to] = ranges[which % ranges.length]!;
  return anchorIn(paragraphText(sampleBody, p), from, to);
}

/** A `review` document as the server creates it. */
export function reviewDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeReviewSeed());
  return doc;
}

/**
 * What the server's guard does, without the server: runs `change` on `doc`, collects the threads its
 * transactions touched, and validates each from its state before the change to its state after.
 */
export function validateLocalChange(
  doc: Y.Doc,
  actor: ReviewActor,
  change: (doc: Y.Doc) => void,
  scale: VerdictScale = DEFAULT_VERDICT_SCALE,
  options: { allowSelfApproval?: boolean } = {},
): ReviewVerdict {
  const before = new Map<string, Thread | undefined>();
  for (const id of threadsMap(doc).keys()) before.set(id, readThread(doc, id));
  const touched = new Set<string>();
  let outsideShape = false;
  const record = (transaction: Y.Transaction) => {
    const changes = changedThreads(transaction);
    changes.threadIds.forEach((id) => touched.add(id));
    outsideShape ||= changes.outsideShape;
  };
  doc.on("afterTransaction", record);
  try {
    change(doc);
  } finally {
    doc.off("afterTransaction", record);
  }
  if (outsideShape) return { ok: false, reason: "outside the review threads" };
  if (touched.size === 0) throw new Error("the change touched no thread: the scenario is wrong");
  const ctx = { actor, scale, now: new Date(), allowSelfApproval: options.allowSelfApproval ?? false };
  for (const id of touched) {
    const threads = threadsMap(doc);
    const map = threads.get(id);
    const afterRaw = map instanceof Y.Map ? readThreadRaw(map) : threads.has(id) ? { "!": "not a Y.Map" } : undefined;
    const verdict = validateThreadChange(id, before.get(id), afterRaw, ctx);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}
