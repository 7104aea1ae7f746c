import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { closeDb, getDb } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { seedDemoDesk } from "@/db/seed/demo-desk";
import { users } from "@/db/schema";
import { env, resetEnv } from "./env";
import { logger } from "./logger";

export interface Runtime {
  embedded: boolean;
  /** Closes the database (and the embedded server, if any). */
  stop: () => Promise<void>;
}

async function ensureSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, "auth-secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * Makes the database ready before anything serves requests: starts the embedded PostgreSQL when no
 * DATABASE_URL is set, applies migrations, seeds the demo desk on a new embedded database, and
 * provides a signing secret. Derived settings are written to process.env, so that Next's separately
 * bundled server code reads the same values.
 */
export async function prepareRuntime(options: { seedEmbedded?: boolean } = {}): Promise<Runtime> {
  const initial = env();
  let embedded: EmbeddedPostgres | undefined;
  if (!initial.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: initial.DATA_DIR });
    process.env.DATABASE_URL = embedded.url;
    process.env.FACTDESK_EMBEDDED_DB = "1";
  }
  if (!initial.NEXTAUTH_SECRET) {
    process.env.NEXTAUTH_SECRET = await ensureSecret(initial.DATA_DIR);
    if (!embedded) logger().warn("NEXTAUTH_SECRET is not set; using one generated under DATA_DIR. Set it when running several processes.");
  }
  resetEnv();
  const db = getDb();
  await runMigrations(db);
  if (embedded && options.seedEmbedded !== false && (await db.$count(users)) === 0) {
    await seedDemoDesk(db);
    logger().info("seeded the Demo Desk on the new embedded database");
  }
  return {
    embedded: Boolean(embedded),
    stop: async () => {
      await closeDb();
      await embedded?.stop();
    },
  };
}
