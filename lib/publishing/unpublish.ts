import type { Database } from "@/db/client";
import type { ArticleAccess } from "@/db/queries/articles";
import { recordAudit } from "@/db/queries/audit";
import { findLatestPublication, markUnpublished } from "@/db/queries/publications";
import { lockArticleHistory } from "@/db/queries/revisions";
import { AppError } from "@/lib/errors";
import { createRevisionLocked } from "@/lib/revisions/create";
import { flushArticleRooms, seedUnopenedRooms } from "@/lib/revisions/room-states";
import type { UnpublishResponse } from "@/model/publishing";
import { forgetPages } from "./page-cache";
import { summarisePublication } from "./summaries";
import { announcePublished } from "@/lib/room-bus";

/**
 * Unpublishes an article: its newest publication is marked withdrawn (the public page then answers
 * 410 with the reason), a system revision records the moment in the history, and the audit log who
 * did it and why. Publishing again later is a republish, which needs a correction note.
 */
export async function unpublishArticle(
  db: Database,
  params: { access: ArticleAccess; actorId: string; reason: string; origin: string },
): Promise<UnpublishResponse> {
  const { article, team } = params.access;
  const scope = { teamId: team.id, articleId: article.id };
  await flushArticleRooms(article.id);
  await seedUnopenedRooms(db, { articleId: article.id, content: article.content });
  const row = await db.transaction(async (tx) => {
    await lockArticleHistory(tx, scope);
    const latest = await findLatestPublication(tx, scope);
    if (!latest) throw new AppError("conflict", "This article has not been published.");
    if (latest.unpublishedAt) throw new AppError("conflict", "This article is already unpublished.");
    const revision = (await createRevisionLocked(tx, {
      ...scope,
      kind: "system",
      reason: "publication",
      label: `Unpublished (version ${latest.number})`,
      createdBy: params.actorId,
      settings: team.settings,
    }))!;
    const marked = await markUnpublished(tx, { ...scope, number: latest.number, by: params.actorId, reason: params.reason });
    if (!marked) throw new AppError("conflict", "This article is already unpublished.");
    await recordAudit(tx, {
      teamId: team.id,
      actorId: params.actorId,
      action: "article.unpublish",
      targetType: "article",
      targetId: article.id,
      data: { number: latest.number, reason: params.reason, revisionNumber: revision.number },
    });
    return marked;
  });
  forgetPages();
  await announcePublished(db, { articleId: article.id });
  return { publication: summarisePublication(row, { origin: params.origin, teamSlug: team.slug, articleSlug: article.slug }) };
}
