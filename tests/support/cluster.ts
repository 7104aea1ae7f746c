import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { request } from "node:http";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import * as Y from "yjs";
import type { Database } from "@/db/client";
import type { RoomRef } from "@/db/queries/documents";
import { leaseKey } from "@/db/queries/room-leases";
import { docUpdates } from "@/db/schema";
import { COLLAB_PATH } from "@/model/rooms";
import { eventually, freePort, readBody, type TestClient } from "./collab";
import { deleteKeys as deleteRedisKeys, withRedis } from "./redis";

// Several collaboration servers as real processes (`npm run start:collab`), sharing one PostgreSQL
// database and one Redis, plus a Redis server of the test's own that it can stop and start.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** The Redis the scale-out tests use: TEST_REDIS_URL, else the machine's own on the default port. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** A key prefix of its own for one test run, so that runs sharing a Redis never see each other's rooms. */
export function uniqueKeyPrefix(): string {
  return `factdesk-test-${randomBytes(6).toString("hex")}:`;
}

/** Fails with a clear message when Redis does not answer (the scale-out tests cannot run without it). */
export async function requireRedis(url: string): Promise<void> {
  try {
    await withRedis(url, (client) => client.ping());
  } catch (error) {
    throw new Error(
      `The scale-out tests need Redis at ${url} (set TEST_REDIS_URL, or start one: redis-server --daemonize yes --port 6379 --save "" --appendonly no): ${String(error)}`,
    );
  }
}

/** Deletes every key under `prefix` (streams the servers left behind); a Redis already gone has nothing to clean. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  await deleteRedisKeys(url, prefix).catch(() => {});
}

function getJson(port: number, pathname: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: pathname, timeout: 2_000 }, (res) => {
      readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  });
}

export interface ClusterServer {
  child: ChildProcess;
  port: number;
  serverUrl: string;
  /** What the process printed (for failure messages). */
  output(): string;
  /** The process's /health answer. */
  health(): Promise<{ status: number; body: unknown }>;
  /** Sends a signal and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  readonly exited: boolean;
}

export interface ClusterOptions {
  databaseUrl: string;
  secret: string;
  redisUrl: string;
  keyPrefix: string;
}

/** Starts one collaboration server process in scale-out mode and waits until it answers /health. */
export async function startClusterServer(options: ClusterOptions): Promise<ClusterServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/collab-main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      FACTDESK_EMBEDDED_DB: "0",
      NEXTAUTH_SECRET: options.secret,
      COLLAB_PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.keyPrefix,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exitedWith: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      exitedWith = code ?? signal ?? "unknown";
      resolve(exitedWith);
    });
  });
  const server: ClusterServer = {
    child,
    port,
    serverUrl: `ws://127.0.0.1:${port}${COLLAB_PATH}`,
    output: () => output,
    health: () => getJson(port, "/health"),
    get exited() {
      return exitedWith !== undefined;
    },
    stop: async (signal, timeoutMs = 20_000) => {
      if (exitedWith !== undefined) return exitedWith;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  try {
    await eventually(async () => {
      if (exitedWith !== undefined) throw new Error(`collab process exited (${exitedWith}) before it was ready:\n${output}`);
      if ((await getJson(port, "/health")).status !== 200) throw new Error("not healthy yet");
    }, 45_000, 100);
  } catch (error) {
    if (exitedWith === undefined) child.kill("SIGKILL");
    throw error;
  }
  return server;
}

/** Starts `count` servers at once (in parallel: each takes a few seconds to boot). */
export async function startCluster(count: number, options: ClusterOptions): Promise<ClusterServer[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startClusterServer(options)));
  const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    throw failed.reason;
  }
  return servers;
}

/**
 * Makes a client behave as it would behind a load balancer: when its connection drops, its next
 * attempt goes to one of the servers still running (`live()`), chosen in turn.
 */
export function failOver(client: TestClient, live: () => ClusterServer[]): void {
  let turn = 0;
  client.provider.on("connection-close", () => {
    const servers = live();
    if (!servers.length) return;
    const current = client.provider.serverUrl;
    const others = servers.filter((s) => s.serverUrl !== current);
    const pool = servers.some((s) => s.serverUrl === current) ? servers : others;
    client.provider.serverUrl = pool[turn++ % pool.length]!.serverUrl;
  });
}

/**
 * The process id of the collaboration server holding a room's lease (it names itself in its lease
 * session's application_name), or undefined when no server holds it.
 */
export async function leaseHolderPid(db: Database, ref: RoomRef): Promise<number | undefined> {
  const [k1, k2] = leaseKey(ref);
  const rows = await db.execute<{ application_name: string }>(sql`
    select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.classid = (${k1}::int)::oid and l.objid = (${k2}::int)::oid`);
  const match = /^factdesk-lease-(\d+)/.exec(rows[0]?.application_name ?? "");
  return match ? Number(match[1]) : undefined;
}

/** A struct range in the log: which Yjs client's clocks a row carries. */
interface StoredRange {
  rowId: bigint;
  client: number;
  from: number;
  to: number;
}

/**
 * Checks that every Yjs struct of a room is stored in exactly one log row: no two rows carry the
 * same (client, clock), and together they cover the final document. Returns a description of the
 * first problem, or undefined when there is none.
 */
export async function logStoresEachUpdateOnce(db: Database, ref: RoomRef, final: Y.Doc): Promise<string | undefined> {
  const rows = await db
    .select({ id: docUpdates.id, update: docUpdates.update })
    .from(docUpdates)
    .where(and(eq(docUpdates.articleId, ref.articleId), eq(docUpdates.room, ref.room)))
    .orderBy(docUpdates.id);
  const byClient = new Map<number, StoredRange[]>();
  for (const row of rows) {
    for (const struct of Y.decodeUpdate(row.update).structs) {
      if (struct instanceof Y.Skip) continue;
      const list = byClient.get(struct.id.client) ?? [];
      list.push({ rowId: row.id, client: struct.id.client, from: struct.id.clock, to: struct.id.clock + struct.length });
      byClient.set(struct.id.client, list);
    }
  }
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(final))) {
    const ranges = (byClient.get(client) ?? []).sort((a, b) => a.from - b.from);
    let covered = 0;
    for (const range of ranges) {
      if (range.from < covered) return `client ${client} clocks ${range.from}..${Math.min(covered, range.to) - 1} are stored twice (row ${range.rowId})`;
      if (range.from > covered) return `client ${client} clocks ${covered}..${range.from - 1} are not stored`;
      covered = range.to;
    }
    if (covered !== clock) return `client ${client}: stored up to clock ${covered}, the document has ${clock}`;
  }
  return undefined;
}

/** A Redis server of the test's own, on a free port, without persistence: stopping it loses everything, like a crash. */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a private redis-server (Debian's `redis-server` binary must be installed). */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.resume();
    return redis;
  }

  /** Starts it again on the same port. */
  async resume(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const failed = new Promise<never>((_, reject) => {
      child.once("error", (error) => reject(new Error(`could not start redis-server (is it installed?): ${error.message}`)));
      child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) on port ${this.port}`)));
    });
    failed.catch(() => {});
    this.child = child;
    await Promise.race([failed, eventually(() => requireRedis(this.url), 10_000, 50)]);
  }

  /** Stops it (its data is gone). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  }
}
