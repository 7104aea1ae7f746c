import type * as Y from "yjs";
import { bodyToJson } from "../article-doc";
import { anchorTextResolver, quoteSelector } from "../review/anchors";
import { approvalStatus, effectiveClaimState } from "../review/approval";
import { readThreads } from "../review/layout";
import type { Thread } from "../review/schema";
import { readSummary, summaryApprovalStatus, type Summary } from "../summary";
import { findVerdict, type VerdictScale } from "../verdict-scale";
import type { BlockingClaim, NotApprovedDetails } from "./api";
import { linearText } from "./highlight";
import type { PublicClaim, PublicPerson, PublicSummary } from "./types";
import type { InternalThread } from "./w3c";

/** The three rooms of an article, as Yjs documents (the summary room may be empty). */
export interface ArticleDocs {
  body: Y.Doc;
  review: Y.Doc;
  summary: Y.Doc;
}

/** Looks a user id up among the people the caller resolved; null for nobody or an unknown id. */
export type PersonLookup = (id: string | null | undefined) => PublicPerson | null;

/** Every user id a publication of these documents may name, for the caller to resolve at once. */
export function peopleToResolve(threads: readonly Thread[], summary: Summary): string[] {
  const ids = new Set<string>();
  for (const t of threads) {
    if (t.kind !== "claim" || !t.claim) continue;
    if (t.claim.verdictBy) ids.add(t.claim.verdictBy);
    if (t.claim.approval?.by) ids.add(t.claim.approval.by);
    for (const e of Object.values(t.evidence ?? {})) ids.add(e.addedBy);
    for (const m of Object.values(t.messages)) ids.add(m.authorId);
  }
  for (const t of threads) ids.add(t.createdBy);
  if (summary.ratedBy) ids.add(summary.ratedBy);
  if (summary.approval?.by) ids.add(summary.approval.by);
  return [...ids];
}

/** Whether the desk wrote anything in the summary room: text, a rating or a takeaway. */
export function summaryHasContent(summary: Summary): boolean {
  return summary.text.trim().length > 0 || summary.rating !== null || summary.takeaway.trim().length > 0;
}

/** Claim threads by id, in document order. */
function claimsById(threads: readonly Thread[]): Map<string, Thread> {
  return new Map(threads.filter((t) => t.kind === "claim" && t.claim).map((t) => [t.id, t]));
}

/**
 * What holds a publication of `claimIds` back: each chosen claim whose approval does not cover it
 * now, or that has no verdict on the desk's scale, and the summary when it has content but no
 * approval that covers it. Null when nothing does. Ids that name no claim are returned apart.
 */
export function publishBlockers(
  docs: ArticleDocs,
  params: { claimIds: readonly string[]; scale: VerdictScale },
): { unknown: string[]; blockers: NotApprovedDetails | null } {
  const claims = claimsById(readThreads(docs.review));
  const unknown = params.claimIds.filter((id) => !claims.has(id));
  const blocking: BlockingClaim[] = [];
  for (const id of new Set(params.claimIds)) {
    const thread = claims.get(id);
    if (!thread) continue;
    const base = { id, quote: thread.anchor.quote.exact, state: effectiveClaimState(thread) };
    if (approvalStatus(thread) !== "approved") blocking.push({ ...base, reason: "not_approved" });
    else if (!findVerdict(params.scale, thread.claim?.verdict)) blocking.push({ ...base, reason: "no_verdict" });
  }
  const summary = readSummary(docs.summary);
  const summaryBlocked = summaryHasContent(summary) && summaryApprovalStatus(docs.summary) !== "approved";
  const blockers: NotApprovedDetails | null =
    blocking.length || summaryBlocked ? { claims: blocking, ...(summaryBlocked ? { summary: "not_approved" as const } : {}) } : null;
  return { unknown, blockers };
}

/** People in a stable order (by name, then id), each once. */
function distinctPeople(people: (PublicPerson | null)[]): PublicPerson[] {
  const byId = new Map<string, PublicPerson>();
  for (const p of people) if (p) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * The claims of the article as readers would see them, in document order: their passages resolved
 * against the body now (or the stored quote when the passage is gone), verdicts taken from the
 * desk's scale, people named. `claimIds` picks which ("all" for an export); `firstPublishedAt` says
 * when each claim was first published (claims new to this publication get `now`).
 */
export function assembleClaims(
  docs: Pick<ArticleDocs, "body" | "review">,
  params: {
    claimIds: readonly string[] | "all";
    scale: VerdictScale;
    person: PersonLookup;
    now: string;
    firstPublishedAt?: (claimId: string) => string | undefined;
  },
): PublicClaim[] {
  const wanted = params.claimIds === "all" ? null : new Set(params.claimIds);
  const resolve = anchorTextResolver(docs.body);
  let text: string | undefined;
  const claims: PublicClaim[] = [];
  for (const thread of readThreads(docs.review)) {
    const claim = thread.claim;
    if (thread.kind !== "claim" || !claim || (wanted && !wanted.has(thread.id))) continue;
    const range = resolve(thread.anchor);
    text ??= range ? linearText(bodyToJson(docs.body)) : undefined;
    const evidence = Object.values(thread.evidence ?? {}).sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id));
    const approved = approvalStatus(thread) === "approved" ? claim.approval : null;
    claims.push({
      id: thread.id,
      quote: range ? range.text : thread.anchor.quote.exact,
      selector: range && text !== undefined ? quoteSelector(text, range.from, range.to) : thread.anchor.quote,
      range: range ? { from: range.from, to: range.to } : null,
      claimant: claim.claimant,
      appearedIn: claim.appearedIn,
      appearedOn: claim.appearedOn,
      state: effectiveClaimState(thread),
      verdict: findVerdict(params.scale, claim.verdict) ?? null,
      rationale: claim.rationale,
      evidence: evidence.map(({ id, url, title, publisher, stance, note }) => ({ id, url, title, publisher, stance, note })),
      checkedBy: distinctPeople([params.person(claim.verdictBy), ...evidence.map((e) => params.person(e.addedBy))]),
      approvedBy: approved ? params.person(approved.by) : null,
      approvedAt: approved?.at ?? null,
      firstPublishedAt: params.firstPublishedAt?.(thread.id) ?? params.now,
    });
  }
  // Document order: by where the passage starts; orphaned passages last, in thread order.
  const position = (c: PublicClaim) => c.range?.from ?? Number.MAX_SAFE_INTEGER;
  return claims.map((c, i) => ({ c, i })).sort((a, b) => position(a.c) - position(b.c) || a.i - b.i).map(({ c }) => c);
}

/** The summary as readers see it, or null when the desk wrote none (or, for a publication, when it is not approved). */
export function assembleSummary(doc: Y.Doc, params: { scale: VerdictScale; person: PersonLookup; approvedOnly: boolean }): PublicSummary | null {
  const summary = readSummary(doc);
  if (!summaryHasContent(summary)) return null;
  const approved = summaryApprovalStatus(doc) === "approved";
  if (params.approvedOnly && !approved) return null;
  return {
    body: summary.body,
    text: summary.text,
    rating: findVerdict(params.scale, summary.rating) ?? null,
    takeaway: summary.takeaway,
    ratedBy: params.person(summary.ratedBy),
    approvedBy: approved && summary.approval ? params.person(summary.approval.by) : null,
    approvedAt: approved ? (summary.approval?.at ?? null) : null,
  };
}

/**
 * The internal discussion of every thread, for members' W3C exports: comment threads and the
 * messages on claims, each message with its author, oldest first, and each thread's passage as a
 * quote selector against the body now (the stored quote when the passage is gone).
 */
export function assembleInternalThreads(docs: Pick<ArticleDocs, "body" | "review">, params: { person: PersonLookup }): InternalThread[] {
  const resolve = anchorTextResolver(docs.body);
  let text: string | undefined;
  return readThreads(docs.review).map((thread) => {
    const range = resolve(thread.anchor);
    text ??= range ? linearText(bodyToJson(docs.body)) : undefined;
    // The message that opened the thread comes first even when a reply has the same timestamp.
    const opening = (m: { authorId: string; createdAt: string }) => (m.authorId === thread.createdBy && m.createdAt === thread.createdAt ? 0 : 1);
    const messages = Object.values(thread.messages).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || opening(a) - opening(b) || a.id.localeCompare(b.id));
    return {
      id: thread.id,
      kind: thread.kind,
      selector: range && text !== undefined ? quoteSelector(text, range.from, range.to) : thread.anchor.quote,
      messages: messages.map((m) => ({ id: m.id, body: m.body, createdAt: m.createdAt, author: params.person(m.authorId) })),
    };
  });
}
