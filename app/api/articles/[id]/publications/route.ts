import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readJson } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { listPublicationHistory, publicOrigin, publishArticle } from "@/lib/publishing";
import { publicationPages } from "@/components/publication/render";
import { publishInput } from "@/model/publishing";

/** The article's publications, newest first, and whether its public page is up. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const access = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "article:view" });
  return json(await listPublicationHistory(db, { access, origin: publicOrigin(req) }));
});

/**
 * Publishes the article with the chosen claims: 409 `not_approved` with the claims (and summary)
 * holding it back, 400 for a republish without a correction note.
 */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const access = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "article:publish" });
  const input = await readJson(req, publishInput);
  return json(await publishArticle(db, { access, actorId: user.id, input, origin: publicOrigin(req), pages: publicationPages }), { status: 201 });
});
