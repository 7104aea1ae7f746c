import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/** A random UUID primary key. gen_random_uuid() exists on PostgreSQL 13+ and on PGlite alike. */
export const idColumn = () => uuid("id").primaryKey().defaultRandom();

/** A creation timestamp with time zone. */
export const createdAtColumn = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** bytea; postgres.js returns a Buffer, which is normalised to a plain Uint8Array for Yjs. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

