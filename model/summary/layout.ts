import * as Y from "yjs";
import { bodyToJson } from "../article-doc";
import { docToPlainText, type ProseMirrorJson } from "../editor-extensions";
import { BODY_FRAGMENT } from "../rooms";
import { EMPTY_SUMMARY_VERDICT, summaryVerdictSchema, type SummaryVerdict } from "./schema";

/**
 * The `summary` document of an article:
 *   default: Y.XmlFragment   the write-up, with the same Tiptap schema as the article text
 *   verdict: Y.Map { rating, takeaway, ratedBy, ratedAt, approval }   plain JSON values
 * Nothing else may exist in it; the server refuses updates that add other roots.
 */
export const SUMMARY_ROOTS = { text: BODY_FRAGMENT, verdict: "verdict" } as const;

/** The rich text of the summary. */
export function summaryFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(SUMMARY_ROOTS.text);
}

/** The map holding the rating, the takeaway and the approval. */
export function summaryVerdictMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(SUMMARY_ROOTS.verdict);
}

/**
 * The verdict map as plain JSON, keeping every key (so the strict schema sees unknown ones) and
 * marking Yjs types, which the layout never holds, so that they fail validation.
 */
export function readSummaryVerdictRaw(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of summaryVerdictMap(doc).entries()) out[key] = value instanceof Y.AbstractType ? { "!": "unexpected Yjs type" } : value;
  return out;
}

/** The verdict map, validated; a malformed one (which the server never lets in) reads as empty. */
export function readSummaryVerdict(doc: Y.Doc): SummaryVerdict {
  const parsed = summaryVerdictSchema.safeParse(readSummaryVerdictRaw(doc));
  return parsed.success ? parsed.data : EMPTY_SUMMARY_VERDICT;
}

/** The whole summary as plain data. */
export interface Summary extends SummaryVerdict {
  /** The write-up as plain text, one block per line. */
  text: string;
  /** The write-up as ProseMirror JSON, for rendering. */
  body: ProseMirrorJson;
}

/** Reads the summary room: its text (plain and as ProseMirror JSON), rating, takeaway, rater and approval. */
export function readSummary(doc: Y.Doc): Summary {
  const body = bodyToJson(doc);
  return { ...readSummaryVerdict(doc), text: docToPlainText(body), body };
}
