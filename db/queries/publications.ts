import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { publications, users, type Publication } from "../schema";

/** A publication without its page, JSON-LD and content: what lists need. */
export interface PublicationListRow {
  number: number;
  createdAt: Date;
  publishedBy: string | null;
  publishedByName: string | null;
  correction: string | null;
  claimCount: number;
  unpublishedAt: Date | null;
  unpublishReason: string | null;
}

const listColumns = {
  number: publications.number,
  createdAt: publications.createdAt,
  publishedBy: publications.publishedBy,
  publishedByName: users.name,
  correction: publications.correction,
  claimCount: publications.claimCount,
  unpublishedAt: publications.unpublishedAt,
  unpublishReason: publications.unpublishReason,
};

/** The article's newest publication, whole, if it was ever published. */
export async function findLatestPublication(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<Publication | undefined> {
  const [row] = await db
    .select()
    .from(publications)
    .where(and(eq(publications.teamId, params.teamId), eq(publications.articleId, params.articleId)))
    .orderBy(desc(publications.number))
    .limit(1);
  return row;
}

export type NewPublication = Omit<Publication, "id" | "createdAt" | "unpublishedAt" | "unpublishedBy" | "unpublishReason"> & { createdAt: Date };

/** Stores a publication; the caller holds the article's history lock and chose the next number. */
export async function insertPublication(db: DbOrTx, values: NewPublication): Promise<Publication> {
  const [row] = await db.insert(publications).values(values).returning();
  if (!row) throw new Error("the publication was not stored");
  return row;
}

/** Every publication of an article, newest first, with the publisher's name. */
export async function listPublications(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<PublicationListRow[]> {
  return db
    .select(listColumns)
    .from(publications)
    .leftJoin(users, eq(users.id, publications.publishedBy))
    .where(and(eq(publications.teamId, params.teamId), eq(publications.articleId, params.articleId)))
    .orderBy(desc(publications.number));
}

/** Marks publication `number` as unpublished, unless it already is; returns it as listed, or undefined. */
export async function markUnpublished(
  db: DbOrTx,
  params: { teamId: string; articleId: string; number: number; by: string; reason: string },
): Promise<PublicationListRow | undefined> {
  const [row] = await db
    .update(publications)
    .set({ unpublishedAt: sql`now()`, unpublishedBy: params.by, unpublishReason: params.reason })
    .where(
      and(
        eq(publications.teamId, params.teamId),
        eq(publications.articleId, params.articleId),
        eq(publications.number, params.number),
        isNull(publications.unpublishedAt),
      ),
    )
    .returning({ number: publications.number });
  if (!row) return undefined;
  const [listed] = await db
    .select(listColumns)
    .from(publications)
    .leftJoin(users, eq(users.id, publications.publishedBy))
    .where(and(eq(publications.articleId, params.articleId), eq(publications.number, row.number)));
  return listed;
}

/** What the public route needs to answer for one address. */
export interface PublicPageRow {
  /** The version asked for (the newest when no number was given); null when that version does not exist. */
  number: number | null;
  html: string | null;
  csp: string | null;
  /** Set when the article is unpublished now (its newest publication was withdrawn). */
  unpublishedAt: Date | null;
  unpublishReason: string | null;
  title: string;
}

/**
 * Finds a published page by its public address: the desk's and the article's slugs, and a version
 * number (the newest when absent). Undefined when the article was never published; an unknown
 * version of a published article comes back with a null number. One statement, because every
 * reader's request runs it.
 */
export async function findPublicPage(
  db: DbOrTx,
  params: { teamSlug: string; articleSlug: string; number?: number },
): Promise<PublicPageRow | undefined> {
  const rows = await db.execute<{
    number: number | null;
    html: string | null;
    csp: string | null;
    unpublished_at: string | Date | null;
    unpublish_reason: string | null;
    title: string;
  }>(sql`
    select p.number, p.html, p.csp, latest.unpublished_at, latest.unpublish_reason, a.title
    from teams t
    join articles a on a.team_id = t.id and a.slug = ${params.articleSlug}
    join lateral (
      select number, unpublished_at, unpublish_reason from publications
      where article_id = a.id order by number desc limit 1
    ) latest on true
    left join publications p on p.article_id = a.id and p.number = coalesce(${params.number ?? null}::int, latest.number)
    where t.slug = ${params.teamSlug}`);
  const row = rows[0];
  if (!row) return undefined;
  return {
    number: row.number,
    html: row.html,
    csp: row.csp,
    unpublishedAt: row.unpublished_at === null ? null : new Date(row.unpublished_at),
    unpublishReason: row.unpublish_reason,
    title: row.title,
  };
}
