import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readJson } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { publicOrigin, unpublishArticle } from "@/lib/publishing";
import { unpublishInput } from "@/model/publishing";

/** Takes the article's public page down (it answers 410 with the reason from then on). */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const access = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "article:publish" });
  const { reason } = await readJson(req, unpublishInput);
  return json(await unpublishArticle(db, { access, actorId: user.id, reason, origin: publicOrigin(req) }));
});
