import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { parseRevisionRef, viewRevision } from "@/lib/revisions";
import type { RevisionViewResponse } from "@/model/revisions";

/** One revision's content for the read-only view; `current` is the article now, built from the log. */
export const GET = apiRoute<{ id: string; rev: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId(params.id, "article"), action: "revision:view" });
  const view: RevisionViewResponse = await viewRevision(db, { teamId: team.id, articleId: article.id, ref: parseRevisionRef(params.rev) });
  return json(view);
});
