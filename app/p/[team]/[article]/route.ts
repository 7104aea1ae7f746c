import { publicationPages } from "@/components/publication/render";
import { getDb } from "@/db/client";
import { servePublicPage } from "@/lib/publishing";

/** The article's public page (its newest publication), for anyone, signed in or not. */
export async function GET(_req: Request, ctx: { params: Promise<{ team: string; article: string }> }): Promise<Response> {
  const { team, article } = await ctx.params;
  return servePublicPage(getDb(), { teamSlug: team, articleSlug: article, pages: publicationPages });
}
