import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { articles } from "./articles";
import { teams } from "./teams";

/**
 * A projection of each article's review document: one row per thread, refreshed by the collaboration
 * server shortly after the document changes. Dashboards, search and the claims API read these rows
 * instead of loading documents. The document stays the source of truth.
 */
export const reviewThreads = pgTable(
  "review_threads",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    threadId: text("thread_id").notNull(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["comment", "claim"] }).notNull(),
    quote: text("quote").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    resolved: boolean("resolved").notNull(),
    messageCount: integer("message_count").notNull(),
    claimant: text("claimant"),
    appearedIn: text("appeared_in"),
    appearedOn: text("appeared_on"),
    state: text("state"),
    verdict: text("verdict"),
    verdictBy: uuid("verdict_by"),
    assigneeId: uuid("assignee_id"),
    rationale: text("rationale"),
    updatedAt: timestamp("updated_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.threadId] }), index("review_threads_team_idx").on(t.teamId, t.kind)],
);

export const reviewEvidence = pgTable(
  "review_evidence",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    threadId: text("thread_id").notNull(),
    evidenceId: text("evidence_id").notNull(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    title: text("title").notNull(),
    publisher: text("publisher").notNull(),
    stance: text("stance", { enum: ["supports", "refutes", "context"] }).notNull(),
    note: text("note").notNull(),
    addedBy: uuid("added_by"),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.evidenceId] }), index("review_evidence_thread_idx").on(t.articleId, t.threadId)],
);
