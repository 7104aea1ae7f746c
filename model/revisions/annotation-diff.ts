import type { Thread } from "../review";
import type { VerdictScale } from "../verdict-scale";
import { verdictLabel } from "./labels";
import { mergeByKey } from "./merge";
import type { AnnotationChange } from "./types";

const byDate = <T extends { createdAt: string; id: string }>(a: T, b: T) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** Messages of `to` that `from` lacks, as one change (authors distinct, in the order they wrote). */
function messagesAdded(thread: Thread, known: ReadonlySet<string>, skipFirst: boolean): AnnotationChange[] {
  let added = Object.values(thread.messages).sort(byDate);
  if (skipFirst) added = added.slice(1);
  added = added.filter((m) => !known.has(m.id));
  if (added.length === 0) return [];
  return [{ kind: "messages-added", threadId: thread.id, quote: thread.anchor.quote.exact, count: added.length, authorIds: [...new Set(added.map((m) => m.authorId))] }];
}

function evidenceChanges(kind: "evidence-added" | "evidence-removed", thread: Thread, other: Thread | undefined): AnnotationChange[] {
  const known = other?.evidence ?? {};
  return Object.values(thread.evidence ?? {})
    .filter((e) => !(e.id in known))
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id))
    .map((e) => ({ kind, threadId: thread.id, quote: thread.anchor.quote.exact, evidenceId: e.id, title: e.title, url: e.url, stance: e.stance }));
}

/** What a thread that is new in `to` brings: the thread itself, and for a claim the verdict, evidence and replies it already has. */
function added(thread: Thread, scale: VerdictScale): AnnotationChange[] {
  const quote = thread.anchor.quote.exact;
  const changes: AnnotationChange[] = [{ kind: thread.kind === "claim" ? "claim-added" : "comment-added", threadId: thread.id, quote }];
  if (thread.claim?.verdict) changes.push({ kind: "verdict-changed", threadId: thread.id, quote, from: null, to: verdictLabel(scale, thread.claim.verdict) });
  changes.push(...evidenceChanges("evidence-added", thread, undefined));
  // A comment's first message is the comment itself.
  changes.push(...messagesAdded(thread, new Set(), thread.kind === "comment"));
  if (thread.resolved) changes.push({ kind: "thread-resolved", threadId: thread.id, quote });
  return changes;
}

function changed(before: Thread, after: Thread, scale: VerdictScale): AnnotationChange[] {
  const threadId = after.id;
  const quote = after.anchor.quote.exact;
  const changes: AnnotationChange[] = [];
  const [was, now] = [before.claim, after.claim];
  if (was && now) {
    if (was.verdict !== now.verdict) changes.push({ kind: "verdict-changed", threadId, quote, from: verdictLabel(scale, was.verdict), to: verdictLabel(scale, now.verdict) });
    if (was.state !== now.state) changes.push({ kind: "claim-state-changed", threadId, quote, from: was.state, to: now.state });
    if (was.rationale !== now.rationale) changes.push({ kind: "rationale-changed", threadId, quote });
  }
  changes.push(...evidenceChanges("evidence-added", after, before), ...evidenceChanges("evidence-removed", before, after));
  if (before.resolved !== after.resolved) changes.push({ kind: after.resolved ? "thread-resolved" : "thread-reopened", threadId, quote });
  changes.push(...messagesAdded(after, new Set(Object.keys(before.messages)), false));
  return changes;
}

/**
 * The annotation changes from one revision's threads to another's, thread by thread in document
 * order (both lists as `RevisionContent.threads` holds them). Verdicts are given as their labels on
 * the desk's scale (a key the scale no longer has stays as it is); claim states and evidence stances
 * stay as their keys, for which model/review has labels. Edited and deleted messages, claim details
 * (claimant, dates, assignee) and re-anchoring are not listed; the claim's history has them.
 */
export function compareThreads(from: Thread[], to: Thread[], scale: VerdictScale): AnnotationChange[] {
  // A thread re-anchored elsewhere changes its place: the threads both lists hold take their order from
  // `to`, and removed ones keep their slots between them.
  const toIds = new Set(to.map((t) => t.id));
  const fromById = new Map(from.map((t) => [t.id, t]));
  const kept = to.filter((t) => fromById.has(t.id));
  let next = 0;
  const aligned = from.map((t) => (toIds.has(t.id) ? fromById.get(kept[next++]!.id)! : t));
  return mergeByKey(aligned, to, (t) => t.id).flatMap((step): AnnotationChange[] => {
    if (step.op === "insert") return added(step.to, scale);
    if (step.op === "delete") {
      const t = step.from;
      return [{ kind: t.kind === "claim" ? "claim-removed" : "comment-removed", threadId: t.id, quote: t.anchor.quote.exact }];
    }
    return changed(step.from, step.to, scale);
  });
}
