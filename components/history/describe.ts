import { CLAIM_STATE_LABELS, STANCE_LABELS, type ClaimState, type Stance } from "@/model/review";
import type { RevisionSummary } from "@/model/revisions/api";
import type { AnnotationChange, ClaimHistoryEntry } from "@/model/revisions/types";
import type { VerdictScale } from "@/model/verdict-scale";

/** A claim state's label; an unknown key shows as it is. */
export function stateLabel(state: string): string {
  return CLAIM_STATE_LABELS[state as ClaimState] ?? state;
}

/** A stance's label; an unknown key shows as it is. */
export function stanceLabel(stance: string): string {
  return STANCE_LABELS[stance as Stance] ?? stance;
}

/** The verdict a history names, whether by key or already by label, with its colour when the scale still has it. */
export function verdictOf(scale: VerdictScale, value: string | null | undefined): { label: string; colour: string | null } | null {
  if (!value) return null;
  const found = scale.find((v) => v.key === value) ?? scale.find((v) => v.label === value);
  return found ? { label: found.label, colour: found.colour } : { label: value, colour: null };
}

/** What kind of revision it is: "Automatic", "Named “…”", "System: before restore", "Restored from #3". */
export function revisionKindLabel(revision: Pick<RevisionSummary, "kind" | "reason" | "label" | "restoredFromNumber">): string {
  if (revision.kind === "named") return revision.label ? `Named “${revision.label}”` : "Named";
  if (revision.kind === "auto") return "Automatic";
  switch (revision.reason) {
    case "restore":
      return revision.restoredFromNumber !== null ? `Restored from #${revision.restoredFromNumber}` : "Restored";
    case "before-restore":
      return "System: before restore";
    case "approval":
      return "System: approval";
    case "publication":
      return "System: publication";
    default:
      return "System";
  }
}

/** A quote shortened for a sentence. */
export function shortQuote(quote: string, max = 60): string {
  const flat = quote.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function names(ids: string[], nameOf: (id: string | null) => string): string {
  const list = ids.map((id) => nameOf(id));
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}

/**
 * One annotation change between two revisions as a sentence: `Verdict of "…" changed from False to
 * Mostly true`, `Evidence removed: …`, `Thread resolved: "…"`, `3 messages added to "…" by Ann`.
 */
export function describeAnnotationChange(change: AnnotationChange, ctx: { scale: VerdictScale; nameOf: (id: string | null) => string }): string {
  const q = `“${shortQuote(change.quote)}”`;
  switch (change.kind) {
    case "claim-added":
      return `Claim flagged: ${q}`;
    case "claim-removed":
      return `Claim removed: ${q}`;
    case "comment-added":
      return `Comment added on ${q}`;
    case "comment-removed":
      return `Comment removed from ${q}`;
    case "verdict-changed": {
      const from = verdictOf(ctx.scale, change.from)?.label;
      const to = verdictOf(ctx.scale, change.to)?.label;
      if (from && to) return `Verdict of ${q} changed from ${from} to ${to}`;
      if (to) return `Verdict of ${q} set to ${to}`;
      return `Verdict of ${q} cleared (was ${from ?? "none"})`;
    }
    case "claim-state-changed":
      return `State of ${q} changed from ${stateLabel(change.from)} to ${stateLabel(change.to)}`;
    case "rationale-changed":
      return `Rationale of ${q} edited`;
    case "evidence-added":
      return `Evidence added to ${q}: ${change.title || change.url} (${stanceLabel(change.stance)})`;
    case "evidence-removed":
      return `Evidence removed from ${q}: ${change.title || change.url} (${stanceLabel(change.stance)})`;
    case "thread-resolved":
      return `Thread resolved: ${q}`;
    case "thread-reopened":
      return `Thread reopened: ${q}`;
    case "messages-added":
      return `${change.count} ${change.count === 1 ? "message" : "messages"} added to ${q}${change.authorIds.length ? ` by ${names(change.authorIds, ctx.nameOf)}` : ""}`;
  }
}

const FIELD_LABELS = { claimant: "Claimant", appearedIn: "Appeared in", appearedOn: "Appeared on", assigneeId: "Assignee" } as const;

/** One entry of a claim's history as a sentence, without who and when (shown beside it). */
export function describeClaimChange(change: ClaimHistoryEntry["change"], ctx: { scale: VerdictScale; nameOf: (id: string | null) => string }): string {
  const quoted = (value: string | null) => (value ? `“${shortQuote(value, 80)}”` : "nothing");
  switch (change.kind) {
    case "created":
      return "Flagged the claim";
    case "verdict": {
      const from = verdictOf(ctx.scale, change.from)?.label;
      const to = verdictOf(ctx.scale, change.to)?.label;
      if (from && to) return `Changed the verdict from ${from} to ${to}`;
      if (to) return `Set the verdict to ${to}`;
      return `Cleared the verdict (was ${from ?? "none"})`;
    }
    case "state":
      return `Moved it from ${stateLabel(change.from)} to ${stateLabel(change.to)}`;
    case "rationale":
      return change.to ? `Changed the rationale to ${quoted(change.to)}` : "Cleared the rationale";
    case "field": {
      const show = (v: string | null) => (change.field === "assigneeId" ? (v ? ctx.nameOf(v) : "nobody") : quoted(v));
      return `Changed ${FIELD_LABELS[change.field].toLowerCase()} from ${show(change.from)} to ${show(change.to)}`;
    }
    case "evidence-added":
      return `Added evidence: ${change.title || change.url} (${stanceLabel(change.stance)})`;
    case "evidence-removed":
      return `Removed evidence: ${change.title || change.url} (${stanceLabel(change.stance)})`;
    case "evidence-changed":
      return `Edited evidence: ${change.title || change.url} (${stanceLabel(change.stance)})`;
    case "resolved":
      return "Resolved the thread";
    case "reopened":
      return "Reopened the thread";
    case "deleted":
      return "Deleted the thread";
  }
}

/** Local calendar day of an instant, as a key ("2025-06-03") for grouping. */
export function localDayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A day's heading: "Today", "Yesterday", or the date written out. */
export function dayHeading(iso: string, now: Date = new Date()): string {
  const key = localDayKey(iso);
  if (key === localDayKey(now.toISOString())) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === localDayKey(yesterday.toISOString())) return "Yesterday";
  return new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
}

/** Revisions (newest first) in runs of the same local day, keeping their order. */
export function groupByDay<T extends { createdAt: string }>(items: T[]): { day: string; items: T[] }[] {
  const groups: { day: string; items: T[] }[] = [];
  for (const item of items) {
    const day = localDayKey(item.createdAt);
    const last = groups.at(-1);
    if (last?.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}
