import type { Database } from "@/db/client";
import type { ArticleAccess } from "@/db/queries/articles";
import { findLatestPublication } from "@/db/queries/publications";
import { peopleByIds } from "@/lib/revisions/people";
import { flushArticleRooms, seedUnopenedRooms, snapshotNow } from "@/lib/revisions/room-states";
import { bodyToJson } from "@/model/article-doc";
import {
  assembleClaims,
  assembleInternalThreads,
  assembleSummary,
  buildClaimReviews,
  buildMarkdown,
  buildW3cAnnotations,
  peopleToResolve,
  publicationPath,
  publishedArticle,
  PUBLICATION_CONTENT_VERSION,
  type ArticleDocs,
  type ExportFormat,
  type PersonLookup,
  type PublicationContent,
} from "@/model/publishing";
import { readThreads } from "@/model/review";
import { readSummary } from "@/model/summary";
import { readTeamSettings } from "@/model/verdict-scale";
import { destroyDocs, docFromState, loadSummaryDoc } from "./docs";

/** An export as the API sends it. */
export interface ExportFile {
  body: string;
  contentType: string;
  filename: string;
}

/**
 * Exports the article as it is now (not as last published): every claim, whatever its state, the
 * summary even when not yet approved, and, in the W3C collection only, the internal discussion —
 * exports are for members, who may read it anyway.
 */
export async function exportArticle(db: Database, params: { access: ArticleAccess; format: ExportFormat; origin: string }): Promise<ExportFile> {
  const { article, team } = params.access;
  await flushArticleRooms(article.id);
  await seedUnopenedRooms(db, { articleId: article.id, content: article.content });
  const { states } = await snapshotNow(db, { articleId: article.id });
  const docs: ArticleDocs = { body: docFromState(states.body), review: docFromState(states.review), summary: await loadSummaryDoc(db, { articleId: article.id }) };
  try {
    const scale = readTeamSettings(team.settings).verdictScale;
    const threads = readThreads(docs.review);
    const people = await peopleByIds(db, peopleToResolve(threads, readSummary(docs.summary)));
    const person: PersonLookup = (id) => {
      const found = id ? people.get(id) : undefined;
      return found ? { id: found.id, name: found.name } : null;
    };
    const latest = await findLatestPublication(db, { teamId: team.id, articleId: article.id });
    const now = new Date().toISOString();
    const url = `${params.origin}${publicationPath({ teamSlug: team.slug, articleSlug: article.slug })}`;
    const earlier = new Map(latest?.content.claims.map((c) => [c.id, c.firstPublishedAt]));
    const content: PublicationContent = {
      version: PUBLICATION_CONTENT_VERSION,
      number: 0,
      url,
      versionUrl: url,
      publishedAt: now,
      firstPublishedAt: latest?.content.firstPublishedAt ?? now,
      publishedBy: null,
      desk: { name: team.name, slug: team.slug },
      article: publishedArticle(article),
      body: bodyToJson(docs.body),
      claims: assembleClaims(docs, { claimIds: "all", scale, person, now, firstPublishedAt: (id) => earlier.get(id) }),
      summary: assembleSummary(docs.summary, { scale, person, approvedOnly: false }),
      scale,
      corrections: latest?.content.corrections ?? [],
    };

    switch (params.format) {
      case "claimreview":
        return { body: JSON.stringify(buildClaimReviews(content), null, 2), contentType: "application/ld+json; charset=utf-8", filename: `${article.slug}-claimreview.json` };
      case "markdown":
        return { body: buildMarkdown(content), contentType: "text/markdown; charset=utf-8", filename: `${article.slug}.md` };
      case "w3c": {
        const collection = buildW3cAnnotations({
          id: `${params.origin}/api/articles/${article.id}/export?format=w3c`,
          source: article.sourceUrl ?? `urn:uuid:${article.id}`,
          content,
          internal: assembleInternalThreads(docs, { person }),
          includeInternal: true,
          generated: now,
        });
        return {
          body: JSON.stringify(collection, null, 2),
          contentType: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
          filename: `${article.slug}-annotations.jsonld`,
        };
      }
    }
  } finally {
    destroyDocs(docs);
  }
}
