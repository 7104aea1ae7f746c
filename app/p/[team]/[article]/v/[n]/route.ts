import { publicationPages } from "@/components/publication/render";
import { getDb } from "@/db/client";
import { servePublicPage } from "@/lib/publishing";

/** One numbered publication of an article, as it was published. */
export async function GET(_req: Request, ctx: { params: Promise<{ team: string; article: string; n: string }> }): Promise<Response> {
  const { team, article, n } = await ctx.params;
  return servePublicPage(getDb(), { teamSlug: team, articleSlug: article, version: n, pages: publicationPages });
}
