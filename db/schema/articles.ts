import { date, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { createdAtColumn, idColumn } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

export const articles = pgTable(
  "articles",
  {
    id: idColumn(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    sourceUrl: text("source_url"),
    publisher: text("publisher"),
    author: text("author"),
    publishedOn: date("published_on", { mode: "string" }),
    /** The imported text, already reduced to the editor schema. The live document is seeded from it once. */
    content: jsonb("content").$type<ProseMirrorJson>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("articles_team_slug_key").on(t.teamId, t.slug), index("articles_team_activity_idx").on(t.teamId, t.lastActivityAt)],
);

/** Who opened an article last and when: the dashboard's "working on it". */
export const articleVisits = pgTable(
  "article_visits",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.userId] })],
);

export type Article = typeof articles.$inferSelect;
