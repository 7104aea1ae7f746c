import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import * as schema from "./schema";

/** The drizzle database; `$client` is the postgres.js client underneath (for LISTEN/NOTIFY). */
export type Database = PostgresJsDatabase<typeof schema> & { $client: Sql };
/** A transaction handle, accepted wherever a Database is. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  close: () => Promise<void>;
}

/**
 * Opens a drizzle database over postgres.js. The embedded database serves one PGlite session to every
 * socket, so it gets a single connection without named prepared statements: two connections could
 * otherwise interleave their extended-protocol messages in that one session.
 */
export function openDatabase(url: string, options: { embedded?: boolean; max?: number } = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.embedded ? 1 : (options.max ?? 10),
    prepare: !options.embedded,
    onnotice: () => {},
    connection: { application_name: "factdesk" },
  });
  const db = drizzle(client, { schema });
  if (options.embedded) embeddedDatabases.add(db);
  return { db, close: () => client.end({ timeout: 5 }) };
}

const embeddedDatabases = new WeakSet<Database>();

/** Whether `db` is the embedded database (one process, one session: no LISTEN, no second connection). */
export function isEmbeddedDatabase(db: Database): boolean {
  return embeddedDatabases.has(db);
}

const globalForDb = globalThis as unknown as { __factdeskDb?: DatabaseHandle };

/**
 * The process-wide database. Kept on globalThis because Next bundles server code separately from the
 * custom server, and two module instances must not open two pools.
 */
export function getDb(): Database {
  if (!globalForDb.__factdeskDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start the app with `npm start`.");
    globalForDb.__factdeskDb = openDatabase(url, { embedded: process.env.FACTDESK_EMBEDDED_DB === "1" });
  }
  return globalForDb.__factdeskDb.db;
}

/** Closes the process-wide database, if open. */
export async function closeDb(): Promise<void> {
  const handle = globalForDb.__factdeskDb;
  delete globalForDb.__factdeskDb;
  await handle?.close();
}
