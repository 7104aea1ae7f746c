import type { Database } from "@/db/client";
import type { ArticleAccess } from "@/db/queries/articles";
import { recordAudit } from "@/db/queries/audit";
import { findLatestPublication, insertPublication } from "@/db/queries/publications";
import { lockArticleHistory } from "@/db/queries/revisions";
import { AppError } from "@/lib/errors";
import { createRevisionLocked } from "@/lib/revisions/create";
import { peopleByIds } from "@/lib/revisions/people";
import { flushArticleRooms, seedUnopenedRooms } from "@/lib/revisions/room-states";
import { bodyToJson } from "@/model/article-doc";
import {
  assembleClaims,
  assembleSummary,
  correctionChanges,
  peopleToResolve,
  publicationPath,
  publicationVersionPath,
  publishBlockers,
  publishedArticle,
  PUBLICATION_CONTENT_VERSION,
  type ArticleDocs,
  type PersonLookup,
  type PublicationContent,
  type PublishInput,
  type PublishResponse,
} from "@/model/publishing";
import { readThreads } from "@/model/review";
import { readSummary } from "@/model/summary";
import { readTeamSettings } from "@/model/verdict-scale";
import { destroyDocs, docFromState, loadSummaryDoc } from "./docs";
import type { PublicationPages } from "./pages";
import { forgetPages } from "./page-cache";
import { summarisePublication } from "./summaries";
import { announcePublished } from "@/lib/room-bus";

/** Refuses a republish without a correction note (400), before any work is done. */
function requireCorrection(previousNumber: number | undefined, correction: string | null): void {
  if (previousNumber !== undefined && !correction) {
    throw new AppError("bad_request", `This article was published before (version ${previousNumber}); write a correction note saying what changed and why.`, {
      details: { field: "correction" },
    });
  }
}

/**
 * Publishes an article: takes a system revision of its rooms now (everything this process's
 * collaboration server holds is flushed first), checks the gate against exactly that state (every
 * chosen claim approved with a verdict on the scale, and the summary approved if it has content),
 * renders the page once and stores it as the next numbered, immutable publication, with its
 * JSON-LD, its content and the corrections log. A republish needs a correction note. All of it
 * happens in one transaction under the article's history lock, so a refused publish leaves nothing.
 */
export async function publishArticle(
  db: Database,
  params: { access: ArticleAccess; actorId: string; input: PublishInput; origin: string; pages: Pick<PublicationPages, "publication"> },
): Promise<PublishResponse> {
  const { article, team } = params.access;
  const scope = { teamId: team.id, articleId: article.id };
  const claimIds = [...new Set(params.input.claimIds)];
  const correction = params.input.correction?.trim() || null;
  requireCorrection((await findLatestPublication(db, scope))?.number, correction);

  await flushArticleRooms(article.id);
  await seedUnopenedRooms(db, { articleId: article.id, content: article.content });
  const scale = readTeamSettings(team.settings).verdictScale;

  const stored = await db.transaction(async (tx) => {
    await lockArticleHistory(tx, scope);
    const previous = await findLatestPublication(tx, scope);
    const number = (previous?.number ?? 0) + 1;
    requireCorrection(previous?.number, correction);

    const revision = (await createRevisionLocked(tx, {
      ...scope,
      kind: "system",
      reason: "publication",
      label: previous ? `Republished (version ${number})` : "Published (version 1)",
      createdBy: params.actorId,
      settings: team.settings,
    }))!;
    const docs: ArticleDocs = { body: docFromState(revision.bodyState), review: docFromState(revision.reviewState), summary: await loadSummaryDoc(tx, scope) };
    try {
      const { unknown, blockers } = publishBlockers(docs, { claimIds, scale });
      if (unknown.length) throw new AppError("bad_request", `No such claim in this article: ${unknown.join(", ")}.`, { details: { unknownClaims: unknown } });
      if (blockers) {
        const count = blockers.claims.length;
        const parts = [count ? `${count} chosen claim${count === 1 ? " is" : "s are"} not approved` : "", blockers.summary ? "the summary is not approved" : ""].filter(Boolean);
        throw new AppError("not_approved", `Publishing is held back: ${parts.join(" and ")}.`, { details: blockers });
      }

      const people = await peopleByIds(tx, [...peopleToResolve(readThreads(docs.review), readSummary(docs.summary)), params.actorId]);
      const person: PersonLookup = (id) => {
        const found = id ? people.get(id) : undefined;
        return found ? { id: found.id, name: found.name } : null;
      };
      const now = new Date();
      const at = now.toISOString();
      const earlier = new Map(previous?.content.claims.map((c) => [c.id, c.firstPublishedAt]));
      const summary = assembleSummary(docs.summary, { scale, person, approvedOnly: true });
      const claims = assembleClaims(docs, { claimIds, scale, person, now: at, firstPublishedAt: (id) => earlier.get(id) });
      if (!claims.length && !summary) throw new AppError("bad_request", "Choose at least one claim to publish, or approve a summary first.", { details: { field: "claimIds" } });

      const address = { teamSlug: team.slug, articleSlug: article.slug };
      const body = bodyToJson(docs.body);
      const content: PublicationContent = {
        version: PUBLICATION_CONTENT_VERSION,
        number,
        url: `${params.origin}${publicationPath(address)}`,
        versionUrl: `${params.origin}${publicationVersionPath({ ...address, number })}`,
        publishedAt: at,
        firstPublishedAt: previous?.content.firstPublishedAt ?? at,
        publishedBy: person(params.actorId),
        desk: { name: team.name, slug: team.slug },
        article: publishedArticle(article),
        body,
        claims,
        summary,
        scale,
        corrections: previous
          ? [...previous.content.corrections, { number, at, note: correction!, changes: correctionChanges(previous.content, { claims, summary, body }) }]
          : [],
      };
      const page = params.pages.publication(content);
      const row = await insertPublication(tx, {
        ...scope,
        number,
        publishedBy: params.actorId,
        createdAt: now,
        correction,
        claimCount: claims.length,
        revisionNumber: revision.number,
        html: page.html,
        csp: page.csp,
        jsonLd: page.jsonLd,
        content,
      });
      await recordAudit(tx, {
        teamId: team.id,
        actorId: params.actorId,
        action: previous ? "article.republish" : "article.publish",
        targetType: "article",
        targetId: article.id,
        data: { number, claimIds: claims.map((c) => c.id), revisionNumber: revision.number, ...(correction ? { correction } : {}) },
      });
      return { row, revisionNumber: revision.number, publishedByName: content.publishedBy?.name ?? null };
    } finally {
      destroyDocs(docs);
    }
  });

  forgetPages();
  // After the commit: the people who have the article open see the new publication at once.
  await announcePublished(db, { articleId: article.id });
  const { row } = stored;
  return {
    publication: summarisePublication(
      { ...row, publishedByName: stored.publishedByName },
      { origin: params.origin, teamSlug: team.slug, articleSlug: article.slug },
    ),
    revisionNumber: stored.revisionNumber,
  };
}
