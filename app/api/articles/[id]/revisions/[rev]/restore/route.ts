import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { parseRevisionRef, restoreRevision } from "@/lib/revisions";
import type { RevisionRestoreResponse } from "@/model/revisions";

/** Brings a revision back as new operations that connected editors receive live. */
export const POST = apiRoute<{ id: string; rev: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId(params.id, "article"), action: "revision:restore" });
  const ref = parseRevisionRef(params.rev);
  if (ref === "current") throw new AppError("bad_request", "Choose a saved revision to restore.");
  const result: RevisionRestoreResponse = await restoreRevision(db, { teamId: team.id, articleId: article.id, number: ref, actorId: user.id });
  return json(result);
});
