import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports";

const run = promisify(execFile);

/**
 * Where this machine keeps PostgreSQL's server programs (initdb, pg_ctl, postgres), or undefined
 * when it has none: `pg_config --bindir` first, then Debian's /usr/lib/postgresql/<version>/bin,
 * newest version first.
 */
export function postgresBinDir(): string | undefined {
  const usable = (dir: string) => ["initdb", "pg_ctl", "postgres"].every((program) => existsSync(path.join(dir, program)));
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (dir && usable(dir)) return dir;
  } catch {
    // No pg_config on the PATH: look where Debian puts the server.
  }
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (usable(dir)) return dir;
  }
  return undefined;
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the cluster's own superuser, trust auth. */
  url: string;
  port: number;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /**
   * Stops the server. "immediate" is a crash as far as clients can tell: sessions are cut and the
   * next start replays the WAL; "fast" ends sessions cleanly first.
   */
  stop(mode?: "immediate" | "fast"): Promise<void>;
  /** Stops (immediately) and starts again on the same port. */
  restart(): Promise<void>;
  /** Stops the server if it runs and removes its files. Safe to call twice. */
  destroy(): Promise<void>;
}


async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A PostgreSQL cluster of the caller's own, in a temporary folder on a free loopback port, that a
 * test may stop and start at will without disturbing the machine's shared server. PostgreSQL refuses
 * to run as root, so under root (CI) every server program runs as the `postgres` user through
 * `runuser`, and the folder is handed to that user first.
 */
export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("No PostgreSQL server programs found (pg_config --bindir or /usr/lib/postgresql/*/bin).");
  const dir = await mkdtemp(path.join(os.tmpdir(), "factdesk-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await userIds("postgres");
    await chown(dir, uid, gid);
  }
  const exec = (program: string, args: string[]) => {
    const file = path.join(bin, program);
    return asRoot ? run("runuser", ["-u", "postgres", "--", file, ...args]) : run(file, args);
  };
  const port = await freePort();
  const withLog = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      const log = await readFile(logFile, "utf8").catch(() => "(no server log)");
      throw new Error(`private PostgreSQL: ${what} failed: ${error instanceof Error ? error.message : String(error)}\n${log}`);
    }
  };

  await withLog("initdb", () => exec("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]));
  // Durability is not what these tests are about; fsync off keeps a stop/start cheap on a busy machine.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
  let running = false;
  let destroyed = false;

  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await withLog("start", () => exec("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]));
      running = true;
    },
    async stop(mode = "immediate") {
      if (!running) return;
      await withLog("stop", () => exec("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]));
      running = false;
    },
    async restart() {
      await cluster.stop("immediate");
      await cluster.start();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        await cluster.stop("immediate");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
