import { CLAIM_STATE_LABELS, type ClaimState } from "../review";
import type { AnnotationChange, RevisionStats } from "./types";

/** The counts of a set of changes, with the word counts of the text comparison. */
export function revisionStats(changes: AnnotationChange[], words: { wordsAdded: number; wordsRemoved: number }): RevisionStats {
  const count = (kind: AnnotationChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  return {
    wordsAdded: words.wordsAdded,
    wordsRemoved: words.wordsRemoved,
    claimsAdded: count("claim-added"),
    claimsRemoved: count("claim-removed"),
    commentsAdded: count("comment-added"),
    verdictsChanged: count("verdict-changed"),
    evidenceAdded: count("evidence-added"),
    evidenceRemoved: count("evidence-removed"),
    threadsResolved: count("thread-resolved"),
    threadsReopened: count("thread-reopened"),
    messagesAdded: changes.reduce((n, c) => n + (c.kind === "messages-added" ? c.count : 0), 0),
  };
}

const QUOTE_CHARS = 20;

/** The start of a quote, cut at a word boundary when it is long: `more than 16,000…`. */
export function shortQuote(quote: string): string {
  const flat = quote.replace(/\s+/g, " ").trim();
  if (flat.length <= QUOTE_CHARS) return flat;
  const cut = flat.slice(0, QUOTE_CHARS + 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > 0 ? cut.slice(0, space) : flat.slice(0, QUOTE_CHARS)).trimEnd()}…`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const stateLabel = (state: string) => CLAIM_STATE_LABELS[state as ClaimState] ?? state;

/**
 * One line describing a revision, e.g. `12 words added, 2 claims flagged, verdict of claim "more than
 * 16,000…" set to Mostly true`. A lone verdict, state or rationale change names its claim; several are
 * counted. "No changes" when nothing changed.
 */
export function summariseRevision(stats: RevisionStats, changes: AnnotationChange[]): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => {
    if (n > 0) parts.push(plural(n, one, many));
  };
  add(stats.wordsAdded, "word added", "words added");
  add(stats.wordsRemoved, "word removed", "words removed");
  add(stats.claimsAdded, "claim flagged", "claims flagged");
  add(stats.claimsRemoved, "claim removed", "claims removed");
  add(stats.commentsAdded, "comment added", "comments added");
  add(changes.filter((c) => c.kind === "comment-removed").length, "comment removed", "comments removed");

  const verdicts = changes.filter((c) => c.kind === "verdict-changed");
  if (verdicts.length === 1) {
    const v = verdicts[0]!;
    parts.push(`verdict of claim "${shortQuote(v.quote)}" ${v.to ? `set to ${v.to}` : "cleared"}`);
  } else add(stats.verdictsChanged || verdicts.length, "verdict changed", "verdicts changed");

  const states = changes.filter((c) => c.kind === "claim-state-changed");
  if (states.length === 1) parts.push(`claim "${shortQuote(states[0]!.quote)}" moved to ${stateLabel(states[0]!.to)}`);
  else add(states.length, "claim state changed", "claim states changed");

  const rationales = changes.filter((c) => c.kind === "rationale-changed");
  if (rationales.length === 1) parts.push(`rationale of claim "${shortQuote(rationales[0]!.quote)}" edited`);
  else add(rationales.length, "rationale edited", "rationales edited");

  add(stats.evidenceAdded, "piece of evidence added", "pieces of evidence added");
  add(stats.evidenceRemoved, "piece of evidence removed", "pieces of evidence removed");
  add(stats.threadsResolved, "thread resolved", "threads resolved");
  add(stats.threadsReopened, "thread reopened", "threads reopened");
  add(stats.messagesAdded, "message added", "messages added");
  if (parts.length === 0) return "No changes";
  const line = parts.join(", ");
  return line[0]!.toUpperCase() + line.slice(1);
}
