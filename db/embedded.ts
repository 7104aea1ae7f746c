import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import lockfile from "proper-lockfile";

export interface EmbeddedPostgres {
  /** A postgres:// URL on 127.0.0.1 that any postgres.js client can use. */
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts PGlite and serves it on a loopback port, so the app only ever knows a connection URL.
 * With a data folder, the folder is locked first: PGlite does not lock it itself, and two processes
 * that open the same folder silently lose writes. Without one, the database lives in memory (tests).
 */
export async function startEmbeddedPostgres(options: { dataDir?: string } = {}): Promise<EmbeddedPostgres> {
  let releaseLock: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir, "pg");
    await mkdir(dataDir, { recursive: true });
    try {
      releaseLock = await lockfile.lock(dataDir, { stale: 15_000, update: 5_000, lockfilePath: `${dataDir}.lock` });
    } catch {
      throw new Error(
        `The embedded database in ${options.dataDir} is already open in another process. Stop it, or set DATABASE_URL.`,
      );
    }
  }
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({ db: pg, host: "127.0.0.1", port: 0, maxConnections: 64 });
  await server.start();
  const port = server.getServerConn().split(":").pop();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await pg.close();
      await releaseLock?.();
    },
  };
}
