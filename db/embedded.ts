import { fork } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { logger } from "@/lib/logger";

export interface EmbeddedPostgres {
  /** A postgres:// URL on 127.0.0.1 that any postgres.js client can use. */
  url: string;
  /** The process PGlite runs in (for measuring it; it stops with this one). */
  pid: number | undefined;
  stop: () => Promise<void>;
}

/**
 * Starts PGlite in a child process and serves it on a loopback port, so the app only ever knows a
 * connection URL, and neither queries nor PGlite's garbage collection and WebAssembly compilation run
 * in the process that relays edits. With a data folder, the folder is locked first: PGlite does not
 * lock it itself, and two processes that open the same folder silently lose writes. Without one, the
 * database lives in memory (tests, benchmarks). The child stops when asked, and when this process
 * goes away by any means (its IPC channel closes).
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
  // Plain JavaScript: no loader, inspector or test-runner flags of this process are passed on.
  const child = fork(new URL("./embedded-server.mjs", import.meta.url), [], {
    env: { ...process.env, FACTDESK_EMBEDDED_DATA_DIR: dataDir ?? "" },
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // How the child ended: it fails a start under way, is logged when nobody asked for it, and ends stop().
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)));
  let stopping = false;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      child.on("message", (m: { type?: string; port?: number }) => m.type === "ready" && resolve(m.port!));
      child.once("error", reject);
      void exited.then((how) => reject(new Error(`the embedded database stopped while starting (${how})`)));
    });
  } catch (error) {
    await releaseLock?.();
    throw error;
  }
  // Queries then fail and the health check says so; the log says why.
  void exited.then((how) => {
    if (!stopping) logger().error({ how }, "the embedded database process exited unexpectedly");
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    pid: child.pid,
    stop: async () => {
      stopping = true;
      if (child.connected) child.send("stop");
      await exited;
      await releaseLock?.();
    },
  };
}
