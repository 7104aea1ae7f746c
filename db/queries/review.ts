import { and, asc, count, eq, inArray } from "drizzle-orm";
import { effectiveClaimState, type Thread } from "@/model/review";
import type { Database, DbOrTx } from "../client";
import { reviewEvidence, reviewThreads } from "../schema";

/**
 * Replaces the projected rows of some threads of an article with their current state: `threadIds`
 * are the threads that changed, `threads` the ones among them that still exist. A claim's state is
 * its effective one: a claim whose approval went void counts as in review, not approved.
 */
export async function replaceReviewThreads(db: Database, params: { articleId: string; teamId: string; threadIds: string[]; threads: Thread[] }): Promise<void> {
  const { articleId, teamId } = params;
  if (!params.threadIds.length) return;
  const threadRows = params.threads.map((t) => ({
    articleId,
    teamId,
    threadId: t.id,
    kind: t.kind,
    quote: t.anchor.quote.exact,
    createdBy: t.createdBy,
    createdAt: new Date(t.createdAt),
    resolved: t.resolved,
    messageCount: Object.keys(t.messages).length,
    claimant: t.claim?.claimant ?? null,
    appearedIn: t.claim?.appearedIn ?? null,
    appearedOn: t.claim?.appearedOn || null,
    state: t.claim ? effectiveClaimState(t) : null,
    verdict: t.claim?.verdict ?? null,
    verdictBy: t.claim?.verdictBy ?? null,
    assigneeId: t.claim?.assigneeId ?? null,
    rationale: t.claim?.rationale ?? null,
    updatedAt: t.claim ? new Date(t.claim.updatedAt) : null,
  }));
  const evidenceRows = params.threads.flatMap((t) =>
    Object.values(t.evidence ?? {}).map((e) => ({
      articleId,
      teamId,
      threadId: t.id,
      evidenceId: e.id,
      url: e.url,
      title: e.title,
      publisher: e.publisher,
      stance: e.stance,
      note: e.note,
      addedBy: e.addedBy,
      addedAt: new Date(e.addedAt),
    })),
  );
  await db.transaction(async (tx) => {
    await tx.delete(reviewEvidence).where(and(eq(reviewEvidence.articleId, articleId), inArray(reviewEvidence.threadId, params.threadIds)));
    await tx.delete(reviewThreads).where(and(eq(reviewThreads.articleId, articleId), inArray(reviewThreads.threadId, params.threadIds)));
    if (threadRows.length) await tx.insert(reviewThreads).values(threadRows);
    if (evidenceRows.length) await tx.insert(reviewEvidence).values(evidenceRows);
  });
}

export interface ClaimRow {
  id: string;
  quote: string;
  claimant: string | null;
  appearedIn: string | null;
  appearedOn: string | null;
  state: string | null;
  verdict: string | null;
  assigneeId: string | null;
  rationale: string | null;
  resolved: boolean;
  messageCount: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date | null;
  evidence: { id: string; url: string; title: string; publisher: string; stance: string; note: string; addedBy: string | null; addedAt: Date }[];
}

/** An article's claims with their evidence, from the projection, in the order they were flagged. */
export async function listClaims(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<ClaimRow[]> {
  const scope = and(eq(reviewThreads.teamId, params.teamId), eq(reviewThreads.articleId, params.articleId), eq(reviewThreads.kind, "claim"));
  const threads = await db.select().from(reviewThreads).where(scope).orderBy(asc(reviewThreads.createdAt));
  const evidence = await db
    .select()
    .from(reviewEvidence)
    .where(and(eq(reviewEvidence.teamId, params.teamId), eq(reviewEvidence.articleId, params.articleId)))
    .orderBy(asc(reviewEvidence.addedAt));
  return threads.map((t) => ({
    id: t.threadId,
    quote: t.quote,
    claimant: t.claimant,
    appearedIn: t.appearedIn,
    appearedOn: t.appearedOn,
    state: t.state,
    verdict: t.verdict,
    assigneeId: t.assigneeId,
    rationale: t.rationale,
    resolved: t.resolved,
    messageCount: t.messageCount,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    evidence: evidence
      .filter((e) => e.threadId === t.threadId)
      .map(({ evidenceId, url, title, publisher, stance, note, addedBy, addedAt }) => ({ id: evidenceId, url, title, publisher, stance, note, addedBy, addedAt })),
  }));
}

export interface ClaimCounts {
  byState: Record<string, number>;
  byVerdict: Record<string, number>;
  comments: number;
}

/** Per article of a desk: claims by state and by verdict, and the number of comment threads. */
export async function countClaimsByArticle(db: DbOrTx, params: { teamId: string }): Promise<Map<string, ClaimCounts>> {
  const rows = await db
    .select({ articleId: reviewThreads.articleId, kind: reviewThreads.kind, state: reviewThreads.state, verdict: reviewThreads.verdict, n: count() })
    .from(reviewThreads)
    .where(eq(reviewThreads.teamId, params.teamId))
    .groupBy(reviewThreads.articleId, reviewThreads.kind, reviewThreads.state, reviewThreads.verdict);
  const out = new Map<string, ClaimCounts>();
  for (const r of rows) {
    const c = out.get(r.articleId) ?? { byState: {}, byVerdict: {}, comments: 0 };
    if (r.kind === "comment") c.comments += r.n;
    else {
      if (r.state) c.byState[r.state] = (c.byState[r.state] ?? 0) + r.n;
      const verdict = r.verdict ?? "none";
      c.byVerdict[verdict] = (c.byVerdict[verdict] ?? 0) + r.n;
    }
    out.set(r.articleId, c);
  }
  return out;
}
