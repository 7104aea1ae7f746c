import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import lockfile from "proper-lockfile";

export interface EmbeddedPostgres {
  /** A postgres:// URL on 127.0.0.1 that any postgres.js client can use. */
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts PGlite on a worker thread and serves it on a loopback port, so the app only ever knows a
 * connection URL and queries never run on the main event loop. With a data folder, the folder is
 * locked first: PGlite does not lock it itself, and two processes that open the same folder silently
 * lose writes. Without one, the database lives in memory (tests, benchmarks).
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
  const worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), { workerData: { dataDir } });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      worker.on("message", (m: { type: string; port?: number }) => m.type === "ready" && resolve(m.port!));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the embedded database stopped while starting (exit ${code})`)));
    });
  } catch (error) {
    await releaseLock?.();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      const stopped = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      await stopped;
      await releaseLock?.();
    },
  };
}
