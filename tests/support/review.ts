import { expect } from "vitest";
import * as Y from "yjs";
import type { Database } from "@/db/client";
import type { RoomRef } from "@/db/queries/documents";
import { listClaims, type ClaimRow } from "@/db/queries/review";
import { bodyFragment, encodeBodySeed } from "@/model/article-doc";
import { CLOSE_CODES } from "@/model/close-codes";
import { plainTextToDoc } from "@/model/editor-extensions";
import { encodePosition, newId, quoteSelector, readThreads, threadsMap, type Anchor, type Message, type Thread } from "@/model/review";
import { DEFAULT_VERDICT_SCALE, type Verdict, type VerdictScale } from "@/model/verdict-scale";
import { eventually, storedDoc, type CloseRecord, type TestClient } from "./collab";

/** Helpers for tests of the `review` room: anchors, hand-made (dishonest) writes, refusals, projection. */

/** A short article full of checkable claims, shared by the review, revision and history tests. */
export const SAMPLE_PARAGRAPHS = [
  "The minister said unemployment fell by 40 percent last year, the largest drop on record.",
  "More than 16,000 foreign terrorist fighters from more than 90 countries travelled to the region.",
] as const;
export const CLAIM_PHRASE = "unemployment fell by 40 percent last year";
export const COMMENT_PHRASE = "the largest drop on record";
export const SECOND_CLAIM_PHRASE = "more than 90 countries";
/** Evidence that refutes the claim on CLAIM_PHRASE. */
export const SAMPLE_EVIDENCE = {
  url: "https://www.ons.gov.uk/employmentandlabourmarket/peoplenotinwork/unemployment",
  title: "Unemployment, UK: March 2024",
  publisher: "Office for National Statistics",
  stance: "refutes" as const,
  note: "The fall was 4 percent, not 40.",
};

export const reviewRef = (articleId: string): RoomRef => ({ articleId, room: "review" });
export const bodyRef = (articleId: string): RoomRef => ({ articleId, room: "body" });

function plain(xmlText: Y.XmlText): string {
  return (xmlText.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

/** A body document built from plain text the way the server seeds it (for tests that need no server). */
export function seededBody(text: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeBodySeed(plainTextToDoc(text)));
  return doc;
}

/**
 * An anchor on the first occurrence of `phrase` in a body document, as the editor builds it: the start
 * sticks to the phrase's first character (assoc 0), the end to its last (assoc -1), and the quote
 * carries the exact text with up to 32 characters either side from the same paragraph.
 */
export function anchorOn(body: Y.Doc, phrase: string): Anchor {
  const fragment = bodyFragment(body);
  for (const node of fragment.toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlText)) continue;
      const text = plain(child);
      const from = text.indexOf(phrase);
      if (from === -1) continue;
      const to = from + phrase.length;
      return {
        start: encodePosition(Y.createRelativePositionFromTypeIndex(child, from, 0)),
        end: encodePosition(Y.createRelativePositionFromTypeIndex(child, to, -1)),
        quote: quoteSelector(text, from, to),
      };
    }
  }
  throw new Error(`"${phrase}" is not in the body`);
}

/** The Y.Map of one nested part of a thread, for writes that no operation in model/ would make. */
export function nestedMap(doc: Y.Doc, threadId: string, key: "messages" | "claim" | "evidence"): Y.Map<unknown> {
  const thread = threadsMap(doc).get(threadId);
  const map = thread instanceof Y.Map ? thread.get(key) : undefined;
  if (!(map instanceof Y.Map)) throw new Error(`thread ${threadId} has no ${key} map`);
  return map;
}

/** Writes a message entry by hand, with whatever author the caller names. */
export function writeMessageAs(doc: Y.Doc, threadId: string, params: { authorId: string; body: string }): string {
  const id = newId();
  const message: Message = { id, authorId: params.authorId, body: params.body, mentions: [], createdAt: new Date().toISOString(), editedAt: null };
  nestedMap(doc, threadId, "messages").set(id, message);
  return id;
}

/** Threads sorted by id, so that documents whose maps were filled in different orders compare equal. */
export function threadsOf(doc: Y.Doc): Thread[] {
  return readThreads(doc).sort((a, b) => a.id.localeCompare(b.id));
}

/** The threads of the stored `review` room (newest checkpoint plus log). */
export async function storedThreads(db: Database, articleId: string): Promise<Thread[]> {
  const doc = await storedDoc(db, reviewRef(articleId));
  try {
    return threadsOf(doc);
  } finally {
    doc.destroy();
  }
}

/** The stored `review` room's root maps as JSON (threads, meta and anything else that got in). */
export async function storedRoots(db: Database, articleId: string): Promise<Record<string, unknown>> {
  const doc = await storedDoc(db, reviewRef(articleId));
  try {
    return Object.fromEntries([...doc.share.keys()].map((name) => [name, doc.getMap(name).toJSON()]));
  } finally {
    doc.destroy();
  }
}

/** Waits until the server closed the client with 4422 (refused) and returns that close. */
export async function refusal(client: TestClient, timeout = 10_000): Promise<CloseRecord> {
  return eventually(() => {
    const close = client.closes.find((c) => c.code === CLOSE_CODES.refused);
    if (!close) throw new Error(`${client.user.name} was not refused (closes: ${JSON.stringify(client.closes)}, denied: ${JSON.stringify(client.denied)})`);
    return close;
  }, timeout);
}

/** Waits until the projection holds the article's claims in a state `check` accepts (it throws otherwise). */
export async function projectedClaims(db: Database, params: { teamId: string; articleId: string }, check: (claims: ClaimRow[]) => void): Promise<ClaimRow[]> {
  return eventually(
    async () => {
      const claims = await listClaims(db, params);
      check(claims);
      return claims;
    },
    15_000,
    100,
  );
}

/** The default verdict scale plus one more verdict. */
export function scaleWith(extra: Verdict, base: VerdictScale = DEFAULT_VERDICT_SCALE): VerdictScale {
  return [...base, extra];
}

export const SATIRE: Verdict = {
  key: "satire",
  label: "Satire",
  colour: "#3366cc",
  definition: "The source is satire and was never meant to be taken as fact.",
  ratingValue: 2,
};

/** Asserts that `closes` is exactly one refusal whose reason matches `reason`. */
export function expectOneRefusal(client: TestClient, reason: RegExp): void {
  expect(client.closes).toHaveLength(1);
  expect(client.closes[0]).toMatchObject({ code: CLOSE_CODES.refused, reason: expect.stringMatching(reason) });
  expect(client.provider.wsconnected).toBe(false);
}
