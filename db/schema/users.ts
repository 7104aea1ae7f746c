import { integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./columns";

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    /** Stored lower-cased; compared case-insensitively. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** argon2id hash; null for accounts that only sign in through GitHub or OIDC. */
    passwordHash: text("password_hash"),
    image: text("image"),
    /** Bumped to end every session at once: sessions carry the version they were issued under. */
    sessionVersion: integer("session_version").notNull().default(0),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/** Links an external sign-in (GitHub, OIDC) to a user. */
export const accounts = pgTable(
  "accounts",
  {
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAtColumn(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export type User = typeof users.$inferSelect;
