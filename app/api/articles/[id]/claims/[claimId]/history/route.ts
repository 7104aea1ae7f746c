import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { claimHistoryOf } from "@/lib/revisions";
import { threadSchema } from "@/model/review";
import type { ClaimHistoryResponse } from "@/model/revisions";

/** Every change to one claim, replayed from the review log and attributed to who made it. */
export const GET = apiRoute<{ id: string; claimId: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId(params.id, "article"), action: "revision:view" });
  if (!threadSchema.shape.id.safeParse(params.claimId).success) throw new AppError("not_found", "No such claim.");
  const history: ClaimHistoryResponse = await claimHistoryOf(db, { teamId: team.id, articleId: article.id, claimId: params.claimId });
  return json(history);
});
