import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { createArticle } from "@/db/queries/articles";
import { addMember } from "@/db/queries/members";
import { createTeam } from "@/db/queries/teams";
import { createUser } from "@/db/queries/users";
import { resetEnv } from "@/lib/env";
import { mintTicket } from "@/lib/tickets";
import { COLLAB_PATH } from "@/model/rooms";
import { processCpuSeconds } from "../../tests/support/processes";
import { deleteKeys, withRedis } from "../../tests/support/redis";
import { BenchClient } from "./client";
import { SEED_DOC } from "./content";
import { FanoutTracker, summarize, type LatencySummary } from "./tracker";
import { freePort } from "../../tests/support/ports";

/**
 * Scale-out (issue 8): one article, 200 clients of which 10 type 5 characters a second, spread
 * evenly over 1, 2 and 3 collaboration servers (`server/collab-main.ts` processes, as
 * `npm run start:collab` runs them) sharing one PostgreSQL database and one Redis. The single server
 * without Redis (REDIS_URL unset: today's mode) is the reference; the single server with Redis shows
 * the relay's own cost; two and three servers show the cost of crossing servers. Fan-out latency is
 * measured as in the collab suite: from the author's edit until the last of the other 199 clients
 * has applied it, all clients in this process on one clock.
 */
export interface ScaleOutOptions {
  clients: number;
  typers: number;
  editsPerSecond: number;
  seconds: number;
  warmupSeconds: number;
  /** Server counts to run with Redis (the single server without Redis always runs first). */
  serverCounts: number[];
}

export const DEFAULT_SCALE_OUT_OPTIONS: ScaleOutOptions = { clients: 200, typers: 10, editsPerSecond: 5, seconds: 10, warmupSeconds: 2, serverCounts: [1, 2, 3] };

export interface ScaleOutRun {
  id: string;
  servers: number;
  redis: boolean;
  editsSent: number;
  undelivered: number;
  diverged: boolean;
  fanoutLastReceiverMs: LatencySummary;
  fanoutPerReceiverMs: LatencySummary;
  /** Every server process's CPU over the window, as a percentage of one core (summed over servers). */
  serversCpuPercent: number;
  /** The harness (200 clients) CPU over the window, percentage of one core. */
  harnessCpuPercent: number;
  /** Redis's CPU over the window, when its process could be read (percentage of one core). */
  redisCpuPercent?: number;
  /** The machine's 1-minute load average at the start and the end of the window (other work on the machine shows here). */
  loadAverage: { start: number; end: number };
}

export interface ScaleOutResult {
  options: ScaleOutOptions;
  machine: { cpus: number; cpuModel: string };
  runs: ScaleOutRun[];
}

const CONNECT_TIMEOUT_MS = 30_000;
const DRAIN_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/health", timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

interface CollabChild {
  child: ChildProcess;
  port: number;
}

async function startCollab(env: Record<string, string>): Promise<CollabChild> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS (as for the other suites' servers), e.g. "--cpu-prof --cpu-prof-dir=profiles".
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server/collab-main.ts"], {
    env: { ...process.env, ...env, NODE_ENV: "production", COLLAB_PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (child.exitCode !== null) throw new Error(`a collaboration server exited (${child.exitCode}) before it was ready`);
    if (Date.now() > deadline) throw new Error("a collaboration server did not answer /health within 60 s");
    await sleep(100);
  }
  return { child, port };
}

async function stopCollab(server: CollabChild): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The pid of the redis-server answering at `url` (for its CPU), when it runs on this machine. */
async function redisPid(url: string): Promise<number | undefined> {
  try {
    const info = await withRedis(url, (client) => client.info("server"));
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the scale-out benchmark on a fresh database of `adminUrl`'s server, dropped at the end. */
export async function runScaleOutBench(params: {
  adminUrl: string;
  redisUrl: string;
  options: ScaleOutOptions;
  /** The pass of BENCH_REPEAT: the set-ups run in an order rotated by it, so that none always runs first. */
  pass: number;
  log: (line: string) => void;
}): Promise<ScaleOutResult> {
  const { adminUrl, redisUrl, options, log } = params;
  const name = `factdesk_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const handle = openDatabase(databaseUrl, { max: 4 });
  const secret = randomBytes(32).toString("base64url");
  const previousSecret = process.env.NEXTAUTH_SECRET;
  process.env.NEXTAUTH_SECRET = secret;
  resetEnv();
  const keyPrefix = `factdesk-bench-${randomBytes(4).toString("hex")}:`;
  const runs: ScaleOutRun[] = [];
  try {
    const { db } = handle;
    await runMigrations(db);
    const users = [];
    for (let i = 0; i < options.clients; i++) users.push(await createUser(db, { email: `scale-${i}@example.test`, name: `Editor ${i}`, passwordHash: null }));
    const team = await createTeam(db, { name: "Scale-out bench desk", ownerId: users[0]!.id });
    for (const user of users.slice(1)) await addMember(db, { teamId: team.id, userId: user.id, role: "editor" });
    const redisServerPid = await redisPid(redisUrl);

    const setups = [{ servers: 1, redis: false }, ...options.serverCounts.map((servers) => ({ servers, redis: true }))];
    const configs = setups.map((_, i) => setups[(i + params.pass) % setups.length]!);
    for (const config of configs) {
      const id = `${config.servers} server${config.servers > 1 ? "s" : ""}${config.redis ? " + Redis" : ", no Redis"}`;
      const article = await createArticle(db, { teamId: team.id, createdBy: users[0]!.id, article: { title: `Scale ${id}`, content: SEED_DOC } });
      const env: Record<string, string> = { DATABASE_URL: databaseUrl, FACTDESK_EMBEDDED_DB: "0", NEXTAUTH_SECRET: secret };
      if (config.redis) Object.assign(env, { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix });
      else Object.assign(env, { REDIS_URL: "" });
      const servers = await Promise.all(Array.from({ length: config.servers }, () => startCollab(env)));
      const tracker = new FanoutTracker();
      const errors: string[] = [];
      const clients: BenchClient[] = [];
      const timers: NodeJS.Timeout[] = [];
      try {
        for (const [i, user] of users.entries()) {
          const { ticket } = await mintTicket({ sub: user.id, articleId: article.id, role: i === 0 ? "owner" : "editor", name: user.name });
          const docName = `${article.id}/body`;
          clients.push(
            new BenchClient({
              baseUrl: `ws://127.0.0.1:${servers[i % servers.length]!.port}`,
              path: `${COLLAB_PATH}/${docName}?ticket=${encodeURIComponent(ticket)}`,
              docName,
              token: "",
              dialect: "y-websocket",
              tracker,
              peers: () => options.clients - 1,
              name: `${id}#${i}`,
              onError: (message) => {
                if (errors.length < 20) errors.push(message);
              },
            }),
          );
        }
        for (let i = 0; i < clients.length; i += 25) {
          await Promise.all(clients.slice(i, i + 25).map((c) => Promise.race([c.connect(), sleep(CONNECT_TIMEOUT_MS).then(() => Promise.reject(new Error(`${id}: a client did not sync`)))])));
        }
        const deadline = Date.now() + CONNECT_TIMEOUT_MS;
        while (!clients.every((c) => c.hasArticle())) {
          if (Date.now() > deadline) throw new Error(`${id}: the article did not reach every client`);
          await sleep(20);
        }
        if (errors.length) throw new Error(`${id}: errors while connecting:\n  ${errors.join("\n  ")}`);

        const periodMs = 1000 / options.editsPerSecond;
        for (const client of clients.slice(0, options.typers)) {
          client.placeCursor();
          timers.push(setTimeout(() => timers.push(setInterval(() => client.type(), periodMs)), Math.random() * periodMs));
        }
        await sleep(options.warmupSeconds * 1000);
        const pids = servers.map((s) => s.child.pid);
        const before = pids.map(processCpuSeconds);
        const redisBefore = config.redis ? processCpuSeconds(redisServerPid) : undefined;
        const harnessBefore = process.cpuUsage();
        const loadAtStart = os.loadavg()[0] ?? 0;
        const start = performance.now();
        tracker.recording = true;
        await sleep(options.seconds * 1000);
        tracker.recording = false;
        const windowS = (performance.now() - start) / 1000;
        const after = pids.map(processCpuSeconds);
        const redisAfter = config.redis ? processCpuSeconds(redisServerPid) : undefined;
        const harness = process.cpuUsage(harnessBefore);
        for (const timer of timers) clearInterval(timer);

        const drainDeadline = Date.now() + DRAIN_MS;
        const diverged = () => new Set(clients.map((c) => c.content())).size > 1;
        while ((tracker.outstanding() > 0 || diverged()) && Date.now() < drainDeadline) await sleep(50);
        const serversCpu = before.reduce<number>((sum, b, i) => sum + ((after[i] ?? 0) - (b ?? 0)), 0);
        const run: ScaleOutRun = {
          id,
          servers: config.servers,
          redis: config.redis,
          editsSent: tracker.sent,
          undelivered: tracker.outstanding(),
          diverged: diverged(),
          fanoutLastReceiverMs: summarize(tracker.lastReceiver),
          fanoutPerReceiverMs: summarize(tracker.perReceiver),
          serversCpuPercent: (100 * serversCpu) / windowS,
          harnessCpuPercent: (100 * ((harness.user + harness.system) / 1e6)) / windowS,
          redisCpuPercent: redisBefore !== undefined && redisAfter !== undefined ? (100 * (redisAfter - redisBefore)) / windowS : undefined,
          loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
        };
        const f = run.fanoutLastReceiverMs;
        log(
          `[scale-out / ${id}] ${run.editsSent} edits, fan-out to last receiver p50 ${f.p50.toFixed(2)} ms p99 ${f.p99.toFixed(2)} ms, ` +
            `servers CPU ${run.serversCpuPercent.toFixed(0)}%, load ${run.loadAverage.start.toFixed(1)}→${run.loadAverage.end.toFixed(1)}` +
            (run.redisCpuPercent !== undefined ? `, Redis CPU ${run.redisCpuPercent.toFixed(0)}%` : "") +
            (run.undelivered ? `, ${run.undelivered} UNDELIVERED` : "") +
            (run.diverged ? ", DIVERGED" : ""),
        );
        runs.push(run);
      } finally {
        for (const timer of timers) clearInterval(timer);
        for (const client of clients) client.close();
        await Promise.all(servers.map(stopCollab));
      }
    }
  } finally {
    await handle.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end({ timeout: 5 });
    await deleteKeys(redisUrl, keyPrefix).catch(() => {});
    if (previousSecret === undefined) delete process.env.NEXTAUTH_SECRET;
    else process.env.NEXTAUTH_SECRET = previousSecret;
    resetEnv();
  }
  const cpus = os.cpus();
  return { options, machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown" }, runs };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const ratio = (v: number, ref: number) => (Number.isFinite(v) && Number.isFinite(ref) && ref > 0 ? `${(v / ref).toFixed(2)}×` : "–");

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The scale-out table for BENCHMARKS.md: latencies (medians over the passes of BENCH_REPEAT), and
 * ratios against the single server without Redis.
 */
export function renderScaleOut(results: ScaleOutResult[]): string {
  const first = results[0];
  if (!first) return "";
  const o = first.options;
  const ids = [...new Set(results.flatMap((r) => r.runs.map((run) => run.id)))];
  const rows = ids.map((id) => {
    const runs = results.flatMap((r) => r.runs.filter((run) => run.id === id));
    return {
      id,
      edits: median(runs.map((r) => r.editsSent)),
      p50: median(runs.map((r) => r.fanoutLastReceiverMs.p50)),
      p99: median(runs.map((r) => r.fanoutLastReceiverMs.p99)),
      perReceiverP99: median(runs.map((r) => r.fanoutPerReceiverMs.p99)),
      cpu: median(runs.map((r) => r.serversCpuPercent)),
      redisCpu: median(runs.map((r) => r.redisCpuPercent ?? Number.NaN)),
      harnessCpu: median(runs.map((r) => r.harnessCpuPercent)),
      undelivered: runs.reduce((n, r) => n + r.undelivered, 0),
      load: Math.max(...runs.map((r) => Math.max(r.loadAverage.start, r.loadAverage.end))),
      diverged: runs.filter((r) => r.diverged).length,
      redis: runs[0]!.redis,
    };
  });
  const reference = rows.find((r) => !r.redis);
  const lines = [
    `Scale-out: ${o.clients} clients on one article, ${o.typers} typing ${o.editsPerSecond} edits/s, spread evenly over the servers; ` +
      `${o.warmupSeconds} s warm-up + ${o.seconds} s measured${results.length > 1 ? `; medians of ${results.length} passes` : ""}; ` +
      `${first.machine.cpus} CPUs (${first.machine.cpuModel}).`,
    "",
    "| setup | edits | fan-out p50 (ms) | fan-out p99 (ms) | p50 vs 1 server | p99 vs 1 server | per-receiver p99 (ms) | servers' CPU | Redis CPU | clients' CPU | highest load average | undelivered | diverged |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const pct = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)}%` : "–");
    lines.push(
      `| ${row.id} | ${row.edits} | ${ms(row.p50)} | ${ms(row.p99)} | ${ratio(row.p50, reference?.p50 ?? NaN)} | ${ratio(row.p99, reference?.p99 ?? NaN)} | ` +
        `${ms(row.perReceiverP99)} | ${pct(row.cpu)} | ${pct(row.redisCpu)} | ${pct(row.harnessCpu)} | ${row.load.toFixed(1)} | ${row.undelivered} | ${row.diverged ? `${row.diverged} runs` : "no"} |`,
    );
  }
  return lines.join("\n");
}
