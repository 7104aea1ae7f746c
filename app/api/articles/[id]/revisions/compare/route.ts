import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readQuery } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { compareRevisions } from "@/lib/revisions";
import { compareRevisionsQuery, type RevisionCompareResponse } from "@/model/revisions";

/** What changed between two revisions (`from`, `to`: a number or `current`). */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "revision:view" });
  const query = readQuery(req, compareRevisionsQuery);
  const comparison: RevisionCompareResponse = await compareRevisions(db, { teamId: team.id, articleId: article.id, ...query });
  return json(comparison);
});
