import { readFileSync } from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import { bodyFragment, encodeBodySeed } from "@/model/article-doc";
import { plainTextToDoc, type ProseMirrorJson } from "@/model/editor-extensions";
import {
  addEvidence,
  addMessage,
  createThread,
  encodePosition,
  encodeReviewSeed,
  quoteSelector,
  readThread,
  SETTABLE_CLAIM_STATES,
  STANCES,
  threadsMap,
  type Anchor,
} from "@/model/review";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { seededRandom } from "../../tests/support/ports";

/**
 * The article of the review benchmarks: the demo article (db/seed/demo-article.txt, as the demo desk
 * seeds it) with a `review` document of N claims, each with evidence and a few messages, anchored on
 * real passages of that text. Ours writes it into the database before clients connect; the servers
 * that start empty get it from their first client.
 */

export const pickFrom = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

/** The demo article's title and body, split as db/seed/demo-desk.ts does. */
export function demoArticle(): { title: string; content: ProseMirrorJson } {
  const text = readFileSync(path.resolve(process.cwd(), "db/seed/demo-article.txt"), "utf8");
  const newline = text.indexOf("\n");
  return { title: text.slice(0, newline).trim(), content: plainTextToDoc(text.slice(newline + 1)) };
}

/** Every text node of a body document, in document order. */
export function textNodes(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) out.push(node);
    else node.toArray().forEach((child) => walk(child as Y.XmlElement | Y.XmlText));
  };
  walk(bodyFragment(doc));
  return out;
}

function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

/** An anchor on a random passage (30–150 characters) of one of the body's longer text nodes. */
export function randomAnchor(rand: () => number, nodes: Y.XmlText[]): Anchor {
  const node = pickFrom(rand, nodes);
  const text = plain(node);
  const length = Math.min(text.length, 30 + Math.floor(rand() * 120));
  const from = Math.floor(rand() * (text.length - length + 1));
  const to = from + length;
  return {
    start: encodePosition(Y.createRelativePositionFromTypeIndex(node, from, 0)),
    end: encodePosition(Y.createRelativePositionFromTypeIndex(node, to, -1)),
    quote: quoteSelector(text, from, to),
  };
}

const WORDS = (
  "the ministry figures cited in the briefing do not match the coalition's own monthly strike reports and the " +
  "satellite imagery published by independent analysts shows no convoy on the road on the dates given while " +
  "two officials quoted anonymously by reuters confirmed the transfer took place but gave a smaller number and " +
  "the un monitoring team described the region as contested during that period which leaves the claim unproven"
).split(" ");

/** `n` words of plausible fact-check prose. */
export function prose(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pickFrom(rand, WORDS));
  const text = out.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const CLAIMANTS = ["Russian defence ministry", "Maj-Gen Igor Konashenkov", "Coalition spokesman", "Syrian state television", "US State Department"];
const OUTLETS = ["Press briefing, Moscow", "RT interview", "Ministry statement on Telegram", "Coalition press release"];
const PUBLISHERS = [
  { name: "Reuters", host: "www.reuters.com" },
  { name: "UN Security Council", host: "www.un.org" },
  { name: "Airwars", host: "airwars.org" },
  { name: "BBC News", host: "www.bbc.co.uk" },
  { name: "Associated Press", host: "apnews.com" },
];

/** A plausible evidence item (as a checker adds it in the sidebar). */
export function evidenceInput(rand: () => number, n: number) {
  const publisher = pickFrom(rand, PUBLISHERS);
  return {
    url: `https://${publisher.host}/2017/09/${n}-syria-deir-ez-zor-${Math.floor(rand() * 1e6)}.html`,
    title: prose(rand, 6 + Math.floor(rand() * 6)).slice(0, -1),
    publisher: publisher.name,
    stance: pickFrom(rand, STANCES),
    note: prose(rand, 10 + Math.floor(rand() * 25)),
  };
}

export interface ReviewContentOptions {
  claims: number;
  evidencePerClaim: number;
  messagesPerClaim: number;
}

export interface ReviewContent {
  /** The body room's first update (what our server seeds from the article), the anchors point into it. */
  bodySeed: Uint8Array;
  /** The review room's whole state: the schema version plus every thread. */
  reviewState: Uint8Array;
  /** Claim ids in creation order. */
  claimIds: string[];
  evidence: number;
  messages: number;
}

/**
 * Builds the article's body seed and a review document holding `claims` claims with
 * `evidencePerClaim` evidence items and `messagesPerClaim` messages each, authored by `users` in turn.
 * Every thread is checked against the model's schema: a malformed one would make the server treat
 * later updates to it as a new thread.
 */
export function buildReviewContent(content: ProseMirrorJson, users: readonly string[], options: ReviewContentOptions, seed = 1): ReviewContent {
  if (!users.length) throw new Error("review content needs at least one user");
  const rand = seededRandom(seed);
  const bodySeed = encodeBodySeed(content);
  const body = new Y.Doc();
  Y.applyUpdate(body, bodySeed);
  const nodes = textNodes(body).filter((node) => node.length >= 60);
  if (!nodes.length) throw new Error("the article has no text to anchor on");

  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeReviewSeed());
  const claimIds: string[] = [];
  let evidence = 0;
  let messages = 0;
  for (let i = 0; i < options.claims; i++) {
    const by = users[i % users.length] as string;
    const verdict = rand() < 0.5 ? pickFrom(rand, DEFAULT_VERDICT_SCALE).key : null;
    const id = createThread(doc, {
      kind: "claim",
      anchor: randomAnchor(rand, nodes),
      by,
      claim: {
        claimant: pickFrom(rand, CLAIMANTS),
        appearedIn: pickFrom(rand, OUTLETS),
        appearedOn: `2017-09-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`,
        assigneeId: pickFrom(rand, users),
        state: pickFrom(rand, SETTABLE_CLAIM_STATES),
        verdict,
        rationale: prose(rand, 30 + Math.floor(rand() * 70)),
      },
    });
    claimIds.push(id);
    for (let e = 0; e < options.evidencePerClaim; e++, evidence++) addEvidence(doc, id, { by: pickFrom(rand, users), evidence: evidenceInput(rand, evidence) });
    for (let m = 0; m < options.messagesPerClaim; m++, messages++) addMessage(doc, id, { by: pickFrom(rand, users), body: prose(rand, 8 + Math.floor(rand() * 30)), mentions: [] });
  }
  for (const id of claimIds) if (!readThread(doc, id)) throw new Error(`bench content: claim ${id} does not match the review schema`);
  if (threadsMap(doc).size !== options.claims) throw new Error("bench content: wrong number of threads");
  const reviewState = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  body.destroy();
  return { bodySeed, reviewState, claimIds, evidence, messages };
}

/** Which claim typer `index` (of `typers`) works on: spread over the document. */
export function claimForTyper(claimIds: readonly string[], index: number, typers: number): string {
  const id = claimIds[Math.floor((index * claimIds.length) / Math.max(1, typers))];
  if (!id) throw new Error(`no claim for typer ${index}`);
  return id;
}
