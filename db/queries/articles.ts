import { and, desc, eq, gt, inArray, like, or, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import type { Role } from "@/model/roles";
import type { Database, DbOrTx } from "../client";
import { articleGuests, articles, articleVisits, memberships, teams, users, type Article, type Team } from "../schema";
import { recordAudit } from "./audit";
import { freeSlug, retryOnSlugClash } from "./teams";

/** How long after a visit someone still counts as working on an article. */
export const ACTIVE_WINDOW_MS = 15 * 60_000;

export interface NewArticle {
  title: string;
  content: ProseMirrorJson;
  sourceUrl?: string;
  publisher?: string;
  author?: string;
  publishedAt?: string;
}

/** Stores an imported article in a desk. */
export async function createArticle(
  db: Database,
  params: { teamId: string; createdBy: string | null; article: NewArticle },
): Promise<Article> {
  return retryOnSlugClash("articles_team_slug_key", () => createArticleOnce(db, params));
}

async function createArticleOnce(db: Database, params: { teamId: string; createdBy: string | null; article: NewArticle }): Promise<Article> {
  return db.transaction(async (tx) => {
    const slug = await freeSlug(
      (prefix) =>
        tx
          .select({ slug: articles.slug })
          .from(articles)
          .where(and(eq(articles.teamId, params.teamId), or(eq(articles.slug, prefix), like(articles.slug, `${prefix}-%`))))
          .then((rows) => rows.map((r) => r.slug)),
      params.article.title,
    );
    const [article] = await tx
      .insert(articles)
      .values({
        teamId: params.teamId,
        slug,
        title: params.article.title,
        content: params.article.content,
        sourceUrl: params.article.sourceUrl ?? null,
        publisher: params.article.publisher ?? null,
        author: params.article.author ?? null,
        publishedOn: params.article.publishedAt ?? null,
        createdBy: params.createdBy,
      })
      .returning();
    if (!article) throw new AppError("internal", "The article could not be stored.");
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.createdBy,
      action: "article.import",
      targetType: "article",
      targetId: article.id,
      data: { title: article.title },
    });
    return article;
  });
}

export interface ArticleSummary {
  id: string;
  slug: string;
  title: string;
  sourceUrl: string | null;
  publisher: string | null;
  lastActivityAt: Date;
  createdAt: Date;
  /** Members who opened the article within ACTIVE_WINDOW_MS, most recent first. */
  activeMembers: { id: string; name: string }[];
}

/** A page of a desk's articles, most recently active first. */
export async function listArticles(
  db: DbOrTx,
  params: { teamId: string; limit: number; offset: number },
): Promise<ArticleSummary[]> {
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      sourceUrl: articles.sourceUrl,
      publisher: articles.publisher,
      lastActivityAt: articles.lastActivityAt,
      createdAt: articles.createdAt,
    })
    .from(articles)
    .where(eq(articles.teamId, params.teamId))
    .orderBy(desc(articles.lastActivityAt), desc(articles.createdAt))
    .limit(params.limit)
    .offset(params.offset);
  if (!rows.length) return [];
  const visits = await db
    .select({ articleId: articleVisits.articleId, id: users.id, name: users.name })
    .from(articleVisits)
    .innerJoin(users, eq(users.id, articleVisits.userId))
    .innerJoin(articles, eq(articles.id, articleVisits.articleId))
    // Only people who are still members of this desk count.
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.teamId, params.teamId)))
    .where(
      and(
        eq(articles.teamId, params.teamId),
        inArray(
          articleVisits.articleId,
          rows.map((r) => r.id),
        ),
        gt(articleVisits.seenAt, new Date(Date.now() - ACTIVE_WINDOW_MS)),
      ),
    )
    .orderBy(desc(articleVisits.seenAt));
  return rows.map((row) => ({
    ...row,
    activeMembers: visits.filter((v) => v.articleId === row.id).map(({ id, name }) => ({ id, name })),
  }));
}

export interface ArticleAccess {
  article: Article;
  team: Team;
  role: Role;
  /** True for a guest of this one article (not a member of its desk). */
  guest: boolean;
}

/**
 * An article together with its desk and the user's role on it, or undefined when the user may not see
 * it. A member's role comes from the desk; otherwise an unexpired guest grant for this article counts.
 */
export async function findArticleForMember(db: DbOrTx, params: { articleId: string; userId: string }): Promise<ArticleAccess | undefined> {
  const [row] = await db
    .select({ article: articles, team: teams, memberRole: memberships.role, guestRole: articleGuests.role })
    .from(articles)
    .innerJoin(teams, eq(teams.id, articles.teamId))
    .leftJoin(memberships, and(eq(memberships.teamId, articles.teamId), eq(memberships.userId, params.userId)))
    .leftJoin(
      articleGuests,
      and(eq(articleGuests.articleId, articles.id), eq(articleGuests.userId, params.userId), gt(articleGuests.expiresAt, sql`now()`)),
    )
    .where(eq(articles.id, params.articleId));
  if (!row) return undefined;
  if (row.memberRole) return { article: row.article, team: row.team, role: row.memberRole, guest: false };
  if (row.guestRole) return { article: row.article, team: row.team, role: row.guestRole, guest: true };
  return undefined;
}

/** Records that a member has the article open now. */
export async function recordVisit(db: DbOrTx, params: { articleId: string; userId: string }): Promise<void> {
  await db
    .insert(articleVisits)
    .values({ articleId: params.articleId, userId: params.userId })
    .onConflictDoUpdate({ target: [articleVisits.articleId, articleVisits.userId], set: { seenAt: sql`now()` } });
}

/** The imported text of an article, used once to seed its live document. */
export async function findArticleContent(db: DbOrTx, params: { articleId: string }): Promise<ProseMirrorJson | undefined> {
  const [row] = await db.select({ content: articles.content }).from(articles).where(eq(articles.id, params.articleId));
  return row?.content;
}

/** Marks articles as just worked on. */
export async function touchArticles(db: DbOrTx, params: { articleIds: string[] }): Promise<void> {
  if (!params.articleIds.length) return;
  await db.update(articles).set({ lastActivityAt: sql`now()` }).where(inArray(articles.id, params.articleIds));
}
