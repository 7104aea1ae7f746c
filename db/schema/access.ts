import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ApiScope } from "@/model/permissions";
import { articles } from "./articles";
import { createdAtColumn, idColumn } from "./columns";
import { roleEnum, teams } from "./teams";
import { users } from "./users";

/**
 * A single-use link that makes its taker a guest of one article (an outside expert), never a member of
 * the desk. Only the token's hash is stored; the guest's access ends at `accessExpiresAt`.
 */
export const guestInvites = pgTable(
  "guest_invites",
  {
    id: idColumn(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    /** viewer or commenter (model/permissions GUEST_ROLES). */
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** When the link itself stops working if nobody took it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** When the guest's access to the article ends. */
    accessExpiresAt: timestamp("access_expires_at", { withTimezone: true }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("guest_invites_token_hash_key").on(t.tokenHash), index("guest_invites_article_idx").on(t.articleId)],
);

/** A guest's access to one article. Revoking deletes the row; access also ends at `expiresAt`. */
export const articleGuests = pgTable(
  "article_guests",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The article's desk, so every query can be scoped by team. */
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.userId] }), index("article_guests_user_idx").on(t.userId), index("article_guests_team_idx").on(t.teamId)],
);

/**
 * A personal API token. The secret is shown once; only its SHA-256 hash is stored. `prefix` is the
 * secret's first characters, shown in lists so people can tell their tokens apart.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: idColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes").array().$type<ApiScope[]>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

/**
 * A single row counting changes to who may open which article: memberships, guest grants, API tokens
 * revoked or shortened, session versions, articles deleted or moved. Triggers (migration
 * 0006_access_epoch) bump it when the changing transaction commits, so a collaboration server learns that
 * some open connection may have lost access by reading one number, instead of re-reading the access
 * of every open connection every few seconds.
 */
export const accessEpoch = pgTable(
  "access_epoch",
  {
    id: smallint("id").primaryKey().default(1),
    epoch: bigint("epoch", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [check("access_epoch_one_row", sql`${t.id} = 1`)],
);

export type GuestInvite = typeof guestInvites.$inferSelect;
export type ArticleGuest = typeof articleGuests.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
