import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx, Transaction } from "../client";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { articles, revisions, teams, users, type Revision } from "../schema";

/** A revision without its stored states and derived content: what lists and summaries need. */
export type RevisionListRow = Omit<Revision, "bodyState" | "reviewState" | "content">;

const listColumns = {
  id: revisions.id,
  teamId: revisions.teamId,
  articleId: revisions.articleId,
  number: revisions.number,
  kind: revisions.kind,
  reason: revisions.reason,
  label: revisions.label,
  createdBy: revisions.createdBy,
  createdAt: revisions.createdAt,
  bodyUpto: revisions.bodyUpto,
  reviewUpto: revisions.reviewUpto,
  stats: revisions.stats,
  summary: revisions.summary,
  contributorIds: revisions.contributorIds,
  restoredFromNumber: revisions.restoredFromNumber,
};

/**
 * Serialises everything that numbers an article's revisions or writes its log on their behalf, until
 * the transaction ends; the key differs from the per-room seeding lock.
 */
export async function lockArticleHistory(tx: Transaction, params: { articleId: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${params.articleId}/revisions`}))`);
}

/** The article's newest revision, whole (states included), if it has any. */
export async function findLatestRevision(db: DbOrTx, params: { teamId: string; articleId: string }): Promise<Revision | undefined> {
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.teamId, params.teamId), eq(revisions.articleId, params.articleId)))
    .orderBy(desc(revisions.number))
    .limit(1);
  return row;
}

/** One revision of an article by its number, whole. */
export async function findRevision(db: DbOrTx, params: { teamId: string; articleId: string; number: number }): Promise<Revision | undefined> {
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.teamId, params.teamId), eq(revisions.articleId, params.articleId), eq(revisions.number, params.number)))
    .limit(1);
  return row;
}

/** The revision just before `number` (the one a revision's stats are measured against), whole. */
export async function findPreviousRevision(db: DbOrTx, params: { teamId: string; articleId: string; number: number }): Promise<Revision | undefined> {
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.teamId, params.teamId), eq(revisions.articleId, params.articleId), lt(revisions.number, params.number)))
    .orderBy(desc(revisions.number))
    .limit(1);
  return row;
}

export type NewRevision = Omit<Revision, "id" | "createdAt">;

/** Stores a revision; the caller holds lockArticleHistory and chose the next number. */
export async function insertRevision(db: DbOrTx, values: NewRevision): Promise<Revision> {
  const [row] = await db.insert(revisions).values(values).returning();
  if (!row) throw new Error("the revision was not stored");
  return row;
}

/** A page of an article's revisions, newest first, before revision `before` when given; one more than `limit` tells that more exist. */
export async function listRevisions(
  db: DbOrTx,
  params: { teamId: string; articleId: string; limit: number; before?: number },
): Promise<RevisionListRow[]> {
  const scope = and(eq(revisions.teamId, params.teamId), eq(revisions.articleId, params.articleId));
  return db
    .select(listColumns)
    .from(revisions)
    .where(params.before === undefined ? scope : and(scope, lt(revisions.number, params.before)))
    .orderBy(desc(revisions.number))
    .limit(params.limit);
}

/**
 * Names of the people a history mentions, by id. Not limited to the desk's current members: people
 * who have left still wrote what they wrote.
 */
export async function findPeopleNames(db: DbOrTx, params: { ids: string[] }): Promise<{ id: string; name: string }[]> {
  const ids = [...new Set(params.ids)];
  if (!ids.length) return [];
  return db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
}

/** What history needs of an article: its imported text (to seed an unopened room) and its desk's settings; undefined outside the desk. */
export async function findArticleForHistory(
  db: DbOrTx,
  params: { teamId: string; articleId: string },
): Promise<{ content: ProseMirrorJson; settings: unknown } | undefined> {
  const [row] = await db
    .select({ content: articles.content, settings: teams.settings })
    .from(articles)
    .innerJoin(teams, eq(teams.id, articles.teamId))
    .where(and(eq(articles.id, params.articleId), eq(articles.teamId, params.teamId)));
  return row;
}
