import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { PublicationContent } from "@/model/publishing/types";
import { articles } from "./articles";
import { createdAtColumn, idColumn } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

/**
 * Numbered, immutable publications of an article: the rendered page exactly as it is served, the
 * Content-Security-Policy that goes with it (it names the page's own stylesheet by hash), its JSON-LD
 * and the content it was rendered from. Only the unpublish columns ever change, on the newest row.
 */
export const publications = pgTable(
  "publications",
  {
    id: idColumn(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    /** 1, 2, 3… per article; served at `/p/<team>/<article>/v/<number>`. */
    number: integer("number").notNull(),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
    /** The correction note; null only for the first publication. */
    correction: text("correction"),
    claimCount: integer("claim_count").notNull(),
    /** The system revision taken with it. */
    revisionNumber: integer("revision_number").notNull(),
    html: text("html").notNull(),
    csp: text("csp").notNull(),
    jsonLd: jsonb("json_ld").$type<unknown[]>().notNull(),
    content: jsonb("content").$type<PublicationContent>().notNull(),
    /** Set when the article was unpublished while this was its newest publication. */
    unpublishedAt: timestamp("unpublished_at", { withTimezone: true }),
    unpublishedBy: uuid("unpublished_by").references(() => users.id, { onDelete: "set null" }),
    unpublishReason: text("unpublish_reason"),
  },
  (t) => [uniqueIndex("publications_article_number_key").on(t.articleId, t.number)],
);

export type Publication = typeof publications.$inferSelect;
