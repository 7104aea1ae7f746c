import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";

/** One article with its text and metadata. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const { article, team, role } = await requireArticleAccess(getDb(), {
    actor: user,
    articleId: parseId((await ctx.params).id, "article"),
    action: "article:view",
  });
  return json({
    article: {
      id: article.id,
      slug: article.slug,
      title: article.title,
      sourceUrl: article.sourceUrl,
      publisher: article.publisher,
      author: article.author,
      publishedOn: article.publishedOn,
      content: article.content,
      createdAt: article.createdAt,
      lastActivityAt: article.lastActivityAt,
      team: { slug: team.slug, name: team.name },
      role,
    },
  });
});
