import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import postgres from "postgres";
import { closeDb, getDb, openDatabase, type Database } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { resetEnv } from "@/lib/env";

export type TestDbKind = "embedded" | "postgres";

export interface TestDatabase {
  /** A drizzle database on the new, migrated database (unless `migrate: false`). */
  db: Database;
  /** Its connection URL. */
  url: string;
  /** True when it is an in-memory PGlite served over a loopback socket. */
  embedded: boolean;
  /** Ends this handle's connections; the database itself stays until drop(). Safe to call twice. */
  close: () => Promise<void>;
  /** Closes the connections and removes the database (drops it, or stops the embedded server). */
  drop: () => Promise<void>;
}

/** Which database the integration project asked for (vitest.config.ts sets TEST_DB_KIND per project). */
export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB_KIND ?? "embedded";
  if (kind !== "embedded" && kind !== "postgres") throw new Error(`Unknown TEST_DB_KIND: ${kind}`);
  return kind;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** The prefix of every database the tests create on a real server; nothing else uses it. */
export const TEST_DATABASE_PREFIX = "factdesk_test_";

/**
 * A database of its own for one test file: an in-memory embedded PGlite, or a fresh
 * `factdesk_test_<hex>` database on TEST_DATABASE_URL. Migrations are applied unless told not to.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const kind = testDbKind();
  const result = kind === "embedded" ? await createEmbedded() : await createOnServer();
  if (options.migrate !== false) {
    try {
      await runMigrations(result.db);
    } catch (error) {
      await result.drop();
      throw error;
    }
  }
  return result;
}

async function createEmbedded(): Promise<TestDatabase> {
  const server = await startEmbeddedPostgres();
  const handle = openDatabase(server.url, { embedded: true });
  const close = once(handle.close);
  return {
    db: handle.db,
    url: server.url,
    embedded: true,
    close,
    drop: once(async () => {
      await close();
      await server.stop();
    }),
  };
}

async function createOnServer(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DB_KIND=postgres needs TEST_DATABASE_URL.");
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(8).toString("hex")}`;
  const admin = () => postgres(adminUrl, { max: 1, onnotice: () => {} });

  const creator = admin();
  try {
    await creator.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await creator.end({ timeout: 5 });
  }

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), { max: 4 });
  const close = once(handle.close);
  return {
    db: handle.db,
    url: url.toString(),
    embedded: false,
    close,
    drop: once(async () => {
      await close();
      const dropper = admin();
      try {
        // FORCE (PostgreSQL 13+) ends any connection a failed test left behind.
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    }),
  };
}

export interface TestApp {
  /** The process-wide database that route handlers use (getDb()), on this file's own database. */
  readonly db: Database;
  readonly url: string;
  readonly embedded: boolean;
  /** The NEXTAUTH_SECRET that route handlers verify session cookies with. */
  readonly secret: string;
}

/**
 * Registers beforeAll/afterAll hooks that give this test file a database of its own and point the
 * app's singletons (env(), getDb()) at it, so route handlers can be called directly. The returned
 * object is filled in by beforeAll; read its fields inside tests and hooks only.
 */
export function useTestApp(): TestApp {
  let testDb: TestDatabase | undefined;
  let secret: string | undefined;
  const app: TestApp = {
    get db() {
      if (!testDb) throw new Error("useTestApp(): the database is not ready yet (read it inside a test or hook).");
      return getDb();
    },
    get url() {
      if (!testDb) throw new Error("useTestApp(): the database is not ready yet.");
      return testDb.url;
    },
    get embedded() {
      if (!testDb) throw new Error("useTestApp(): the database is not ready yet.");
      return testDb.embedded;
    },
    get secret() {
      if (!secret) throw new Error("useTestApp(): the secret is not ready yet.");
      return secret;
    },
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Route handlers reach the database through getDb(); keep only that one pool open. The embedded
    // server serves a single PGlite session, so two pools must not share it.
    await testDb.close();
    secret = randomBytes(32).toString("base64url");
    process.env.DATABASE_URL = testDb.url;
    process.env.FACTDESK_EMBEDDED_DB = testDb.embedded ? "1" : "0";
    process.env.NEXTAUTH_SECRET = secret;
    // An http URL keeps next-auth's cookies under their plain (non-__Secure-) names, as tests mint them.
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    process.env.LOG_LEVEL ??= "silent";
    resetEnv();
    await closeDb();
    getDb();
  });

  afterAll(async () => {
    await closeDb();
    await testDb?.drop();
  });

  return app;
}
