import { timestamp, uuid } from "drizzle-orm/pg-core";

/** A random UUID primary key. gen_random_uuid() exists on PostgreSQL 13+ and on PGlite alike. */
export const idColumn = () => uuid("id").primaryKey().defaultRandom();

/** A creation timestamp with time zone. */
export const createdAtColumn = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
