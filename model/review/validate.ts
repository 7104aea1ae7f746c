import { z } from "zod";
import { can } from "../permissions";
import type { Role } from "../roles";
import { findVerdict, type VerdictScale } from "../verdict-scale";
import { decodePosition } from "./anchors";
import { claimFingerprint } from "./approval";
import { threadSchema, type Approval, type Thread } from "./schema";

export interface ReviewActor {
  userId: string;
  role: Role;
}

export interface ReviewContext {
  actor: ReviewActor;
  scale: VerdictScale;
  now: Date;
  /** The desk's setting: whether the author of a verdict may approve it. */
  allowSelfApproval: boolean;
}

export type ReviewVerdict = { ok: true } | { ok: false; reason: string };

const OK: ReviewVerdict = { ok: true };
const refuse = (reason: string): ReviewVerdict => ({ ok: false, reason });

/** Clocks drift; a timestamp more than this far in the future is refused. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "thread"}: ${issue.message}` : "invalid thread";
}

function timestampsInPast(values: (string | null | undefined)[], now: Date): boolean {
  const limit = now.getTime() + MAX_CLOCK_SKEW_MS;
  return values.every((v) => !v || Date.parse(v) <= limit);
}

/** The entries of two id-keyed records that were added, removed or changed. */
function diffRecords<T>(before: Record<string, T>, after: Record<string, T>) {
  const added: T[] = [];
  const removed: T[] = [];
  const changed: { before: T; after: T }[] = [];
  for (const [id, value] of Object.entries(after)) {
    const old = before[id];
    if (old === undefined) added.push(value);
    else if (!sameJson(old, value)) changed.push({ before: old, after: value });
  }
  for (const [id, value] of Object.entries(before)) if (!(id in after)) removed.push(value);
  return { added, removed, changed };
}

function checkMessages(before: Thread | undefined, after: Thread, ctx: ReviewContext): ReviewVerdict {
  const { actor } = ctx;
  const diff = diffRecords(before?.messages ?? {}, after.messages);
  if ((diff.added.length || diff.changed.length || diff.removed.length) && !can(actor.role, "comment:write")) return refuse("Your role may not write messages.");
  if (diff.added.some((m) => m.authorId !== actor.userId)) return refuse("A message must be written under your own name.");
  if (diff.removed.some((m) => m.authorId !== actor.userId)) return refuse("Nobody deletes another person's messages.");
  for (const { before: b, after: a } of diff.changed) {
    if (b.authorId !== actor.userId) return refuse("Nobody edits another person's messages.");
    if (a.authorId !== b.authorId || a.createdAt !== b.createdAt) return refuse("A message's author and time cannot change.");
  }
  return OK;
}

function checkClaim(before: Thread | undefined, after: Thread, ctx: ReviewContext): ReviewVerdict {
  const { actor } = ctx;
  const b = before?.claim;
  const a = after.claim;
  if (!a) return OK;
  const evidence = diffRecords(before?.evidence ?? {}, after.evidence ?? {});
  const claimChanged = !sameJson(b, a);
  const evidenceChanged = evidence.added.length + evidence.removed.length + evidence.changed.length > 0;
  if ((claimChanged || evidenceChanged) && !can(actor.role, "claim:write")) return refuse("Only checkers, editors and owners may work on claims.");
  if (claimChanged) {
    // A changed `updatedBy` must name the actor. It may also stay as it was: when two people change
    // different fields at once, the merge can keep the other person's name, and that is no spoof.
    if (a.updatedBy !== actor.userId && a.updatedBy !== b?.updatedBy) return refuse("A claim change must be made under your own name.");
    // Only a newly set verdict must be on the scale: a verdict later removed from the scale must not
    // lock every other field of the claims that carry it.
    if (a.verdict !== null && a.verdict !== b?.verdict && !findVerdict(ctx.scale, a.verdict)) return refuse(`"${a.verdict}" is not on the desk's verdict scale.`);
    const verdictChanged = b?.verdict !== a.verdict || b?.verdictBy !== a.verdictBy || b?.verdictAt !== a.verdictAt;
    // Set or cleared, a changed verdict names the actor (or, once cleared, nobody).
    if (verdictChanged && a.verdictBy !== actor.userId && (a.verdict !== null || a.verdictBy !== null)) return refuse("A verdict must be set under your own name.");
  }
  if (evidence.added.some((e) => e.addedBy !== actor.userId)) return refuse("Evidence must be added under your own name.");
  if (evidence.changed.some(({ before: eb, after: ea }) => ea.addedBy !== eb.addedBy || ea.addedAt !== eb.addedAt)) {
    return refuse("Who added evidence, and when, cannot change.");
  }
  if (!claimChanged) return OK;
  const subject: ApprovalSubject = { state: [b?.state, a.state], author: a.verdictBy, rating: a.verdict, fingerprint: () => claimFingerprint(after) };
  return checkApproval(b?.approval ?? null, a.approval ?? null, subject, ctx);
}

/** What the approval rules need to know of the claim (or the summary) being approved. */
export interface ApprovalSubject {
  /** The workflow state before and after, for claims; the summary has none. */
  state?: [before: string | undefined, after: string];
  /** Who set the verdict (the rating); they may not approve it unless the desk allows it. */
  author: string | null;
  /** The verdict key (the rating) after the change. */
  rating: string | null;
  /** The fingerprint of the claim (the summary) after the change. */
  fingerprint: () => string;
}

/**
 * The approval gate, the same for claims and the summary: only editors and owners approve or send
 * back; an approval names its approver, records the verdict it approved and covers exactly what is
 * there after the change; the verdict's author approves only where the desk allows it. A claim is
 * marked approved only together with a new approval.
 */
export function checkApproval(before: Approval | null, after: Approval | null, subject: ApprovalSubject, ctx: ReviewContext): ReviewVerdict {
  const { actor } = ctx;
  const changed = !sameJson(before, after);
  if (changed && !can(actor.role, "claim:approve")) {
    return refuse(after ? "Only editors and owners may approve." : "Only editors and owners may send back or withdraw an approval.");
  }
  if (changed && after) {
    if (after.by !== actor.userId) return refuse("An approval must be given under your own name.");
    if (subject.rating === null) return refuse("Only a verdict can be approved: set one first.");
    if (after.verdict !== subject.rating) return refuse("An approval must name the verdict it approves.");
    if (subject.author === actor.userId && !ctx.allowSelfApproval) return refuse("You set this verdict, so another editor must approve it.");
    if (after.covers !== subject.fingerprint()) return refuse("The approval does not match what it approves; reload and try again.");
    if (subject.state && subject.state[1] !== "approved") return refuse("An approved claim must be marked approved.");
  }
  if (subject.state) {
    const [stateBefore, stateAfter] = subject.state;
    if (stateAfter === "approved" && stateBefore !== "approved" && !(changed && after)) return refuse("A claim is approved only through the approval step.");
  }
  return OK;
}

/**
 * Whether `actor` may delete a thread: editors and owners always; anyone else only a thread they
 * started and nobody else took part in (no one else's messages or evidence). The UI asks the same.
 */
export function canDeleteThread(thread: Thread, actor: ReviewActor): boolean {
  if (can(actor.role, "thread:delete-any")) return true;
  const alone =
    thread.createdBy === actor.userId &&
    Object.values(thread.messages).every((m) => m.authorId === actor.userId) &&
    Object.values(thread.evidence ?? {}).every((e) => e.addedBy === actor.userId);
  return alone && can(actor.role, thread.kind === "claim" ? "claim:write" : "comment:write");
}

/**
 * Decides whether one thread may change from `before` (trusted: what the server holds) to `afterRaw`
 * (what the update would make of it; undefined when deleted). Checks, in order: the shape (zod, strict),
 * the role policy from `can()`, that every author field is the actor, and the verdict scale.
 * The reasons are safe to show to the person whose change was refused.
 */
export function validateThreadChange(threadId: string, before: Thread | undefined, afterRaw: unknown, ctx: ReviewContext): ReviewVerdict {
  const { actor } = ctx;
  if (afterRaw === undefined) {
    if (!before) return OK;
    return canDeleteThread(before, actor) ? OK : refuse("Only editors and owners may delete threads that others took part in.");
  }
  const parsed = threadSchema.safeParse(afterRaw);
  if (!parsed.success) return refuse(`Not a valid thread: ${firstIssue(parsed.error)}`);
  const after = parsed.data;
  if (after.id !== threadId) return refuse("A thread's id must match its key.");
  if (!decodePosition(after.anchor.start) || !decodePosition(after.anchor.end)) return refuse("The anchor's positions do not decode.");
  const times = [
    after.createdAt,
    after.resolvedAt,
    after.claim?.updatedAt,
    after.claim?.verdictAt,
    after.claim?.approval?.at,
    ...Object.values(after.messages).flatMap((m) => [m.createdAt, m.editedAt]),
    ...Object.values(after.evidence ?? {}).map((e) => e.addedAt),
  ];
  if (!timestampsInPast(times, ctx.now)) return refuse("A timestamp lies in the future.");

  const writeAction = after.kind === "claim" ? "claim:write" : "comment:write";
  if (!before) {
    if (!can(actor.role, writeAction)) return refuse(after.kind === "claim" ? "Only checkers, editors and owners may flag claims." : "Your role may not comment.");
    if (after.createdBy !== actor.userId) return refuse("A thread must be started under your own name.");
    if ((after.resolved || after.resolvedBy !== null) && after.resolvedBy !== actor.userId) return refuse("A thread must be resolved under your own name.");
  } else {
    if (after.kind !== before.kind || after.createdBy !== before.createdBy || after.createdAt !== before.createdAt) {
      return refuse("A thread's kind, author and creation time cannot change.");
    }
    if (!sameJson(before.anchor, after.anchor) && !(can(actor.role, "claim:write") || (before.createdBy === actor.userId && can(actor.role, writeAction)))) {
      return refuse("Only the thread's author or a checker may move it to other text.");
    }
    const resolution = before.resolved !== after.resolved || before.resolvedBy !== after.resolvedBy || before.resolvedAt !== after.resolvedAt;
    if (resolution) {
      if (!can(actor.role, writeAction)) return refuse("Your role may not resolve this thread.");
      if (after.resolved && after.resolvedBy !== actor.userId) return refuse("A thread must be resolved under your own name.");
      if (!after.resolved && (after.resolvedBy !== null || after.resolvedAt !== null)) return refuse("A reopened thread has no resolver.");
    }
  }
  const messages = checkMessages(before, after, ctx);
  if (!messages.ok) return messages;
  return checkClaim(before, after, ctx);
}
