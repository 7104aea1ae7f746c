import { bigint, bigserial, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { bytea, createdAtColumn } from "./columns";
import { articles } from "./articles";
import { users } from "./users";

/**
 * The append-only log of each room's Yjs updates, one row per user per flush window. Rows are never
 * deleted: they are the history. A null user is the server itself (the seed, restores).
 */
export const docUpdates = pgTable(
  "doc_updates",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    room: text("room", { enum: ["body", "review", "summary"] }).notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    update: bytea("update").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index("doc_updates_room_idx").on(t.articleId, t.room, t.id)],
);

/** Compacted full states of a room; loading starts from the newest and replays the log after it. */
export const docCheckpoints = pgTable(
  "doc_checkpoints",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    room: text("room", { enum: ["body", "review", "summary"] }).notNull(),
    state: bytea("state").notNull(),
    /** The last log row this state includes. */
    uptoUpdateId: bigint("upto_update_id", { mode: "bigint" }).notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [index("doc_checkpoints_room_idx").on(t.articleId, t.room, t.id)],
);
