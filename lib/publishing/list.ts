import type { DbOrTx } from "@/db/client";
import type { ArticleAccess } from "@/db/queries/articles";
import { listPublications } from "@/db/queries/publications";
import { publicationPath, type PublicationListResponse } from "@/model/publishing";
import { summarisePublication } from "./summaries";

/** An article's publications, newest first, and whether its public page is up. */
export async function listPublicationHistory(db: DbOrTx, params: { access: ArticleAccess; origin: string }): Promise<PublicationListResponse> {
  const { article, team } = params.access;
  const rows = await listPublications(db, { teamId: team.id, articleId: article.id });
  const address = { origin: params.origin, teamSlug: team.slug, articleSlug: article.slug };
  const latest = rows[0];
  return {
    publications: rows.map((row) => summarisePublication(row, address)),
    status: !latest ? "never" : latest.unpublishedAt ? "unpublished" : "published",
    url: latest ? `${params.origin}${publicationPath(address)}` : null,
  };
}
