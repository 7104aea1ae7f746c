import { can } from "../permissions";
import { checkApproval, type ReviewContext, type ReviewVerdict } from "../review/validate";
import { findVerdict } from "../verdict-scale";
import { summaryVerdictSchema, type SummaryVerdict } from "./schema";

/** The summary after a change, as the server sees it on its shadow copy. */
export interface SummaryChange {
  /** The `verdict` map after the change, raw (see readSummaryVerdictRaw). */
  verdict: unknown;
  /** The fingerprint of the whole summary after the change; computed only when an approval needs it. */
  fingerprint: () => string;
}

/** Clocks drift; a timestamp more than this far in the future is refused. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const refuse = (reason: string): ReviewVerdict => ({ ok: false, reason });

/**
 * Decides whether the summary's `verdict` map may change from `before` (what the server holds) to
 * `after`: the shape (zod, strict), the role (`summary:edit`), a rating on the desk's scale set under
 * the actor's own name, the takeaway's length, and the approval rules shared with claims, with the
 * rater as the verdict's author. A change of the text, takeaway or rating voids an approval by its
 * fingerprint, so it needs no rule here. The reasons are safe to show to the person refused.
 */
export function validateSummaryChange(before: SummaryVerdict, after: SummaryChange, ctx: ReviewContext): ReviewVerdict {
  const { actor } = ctx;
  const parsed = summaryVerdictSchema.safeParse(after.verdict);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(`Not a valid summary verdict: ${issue ? `${issue.path.join(".") || "verdict"}: ${issue.message}` : "invalid"}`);
  }
  const a = parsed.data;
  if (JSON.stringify(a) === JSON.stringify(before)) return { ok: true };
  if (!can(actor.role, "summary:edit")) return refuse("Only checkers, editors and owners may write the summary.");
  const limit = ctx.now.getTime() + MAX_CLOCK_SKEW_MS;
  if ([a.ratedAt, a.approval?.at].some((t) => t && Date.parse(t) > limit)) return refuse("A timestamp lies in the future.");

  const ratingChanged = a.rating !== before.rating || a.ratedBy !== before.ratedBy || a.ratedAt !== before.ratedAt;
  if (ratingChanged) {
    if (a.rating !== null && a.rating !== before.rating && !findVerdict(ctx.scale, a.rating)) return refuse(`"${a.rating}" is not on the desk's verdict scale.`);
    if (a.rating === null ? a.ratedBy !== null || a.ratedAt !== null : a.ratedBy !== actor.userId || a.ratedAt === null) {
      return refuse("A rating must be set under your own name.");
    }
  }
  return checkApproval(before.approval, a.approval, { author: a.ratedBy, rating: a.rating, fingerprint: after.fingerprint }, ctx);
}
