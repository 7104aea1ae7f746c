import { getDb } from "@/db/client";
import { createArticle, listArticles } from "@/db/queries/articles";
import { importArticleContent } from "@/lib/article-import";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { apiRoute, json, readJson, readQuery } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";
import { docToPlainText } from "@/model/editor-extensions";
import { importArticleInput, listArticlesQuery } from "@/model/schemas";

/** A page of the desk's articles, most recently active first. */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const query = readQuery(req, listArticlesQuery);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "article:view" });
  const articles = await listArticles(db, { teamId: team.id, ...query });
  return json({ articles });
});

/** Imports an article: its text, reduced to the editor schema, and where it came from. */
export const POST = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "article:import" });
  const input = await readJson(req, importArticleInput);
  const content = importArticleContent(input.format, input.content);
  // Pasted HTML can reduce to nothing (only scripts, images or empty blocks); an article needs text.
  if (!docToPlainText(content).trim()) throw new AppError("bad_request", "The pasted article has no text the editor can keep.");
  const article = await createArticle(db, { teamId: team.id, createdBy: user.id, article: { ...input, content } });
  return json({ article: { id: article.id, slug: article.slug, title: article.title, teamSlug: team.slug } }, { status: 201 });
});
