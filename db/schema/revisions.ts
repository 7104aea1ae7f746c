import { bigint, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { REVISION_KINDS, REVISION_REASONS, type RevisionContent, type RevisionStats } from "@/model/revisions/types";
import { articles } from "./articles";
import { bytea, createdAtColumn, idColumn } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

/**
 * Saved versions of an article: both rooms' full states at a log position, so that viewing one never
 * replays the log, plus a derived form (text, ProseMirror JSON, threads) for diffs and search.
 */
export const revisions = pgTable(
  "revisions",
  {
    id: idColumn(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    /** 1, 2, 3… per article: what people call a revision ("revision 12"). */
    number: integer("number").notNull(),
    kind: text("kind", { enum: REVISION_KINDS }).notNull(),
    reason: text("reason", { enum: REVISION_REASONS }).notNull(),
    label: text("label"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
    /** The last log row of each room this revision covers. */
    bodyUpto: bigint("body_upto", { mode: "bigint" }).notNull(),
    reviewUpto: bigint("review_upto", { mode: "bigint" }).notNull(),
    bodyState: bytea("body_state").notNull(),
    reviewState: bytea("review_state").notNull(),
    content: jsonb("content").$type<RevisionContent>().notNull(),
    /** Counts against the previous revision. */
    stats: jsonb("stats").$type<RevisionStats>().notNull(),
    summary: text("summary").notNull(),
    /** Who wrote log rows since the previous revision, from the log's user ids (never from what clients claim). */
    contributorIds: uuid("contributor_ids").array().notNull().default([]),
    restoredFromNumber: integer("restored_from_number"),
  },
  (t) => [uniqueIndex("revisions_article_number_key").on(t.articleId, t.number)],
);

export type Revision = typeof revisions.$inferSelect;
