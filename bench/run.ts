import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { BenchClient } from "./lib/client";
import type { CpuSample, MemorySample } from "./lib/ipc";
import { ratios, renderTable, type Report, type RunResult } from "./lib/report";
import { ServerProcess } from "./lib/server-process";
import { FanoutTracker, summarize } from "./lib/tracker";
import { OURS_ON_POSTGRES, SERVERS, WORKLOADS, type ServerDef, type Workload } from "./lib/workloads";

// `npm run bench`: every workload against every server, one fresh server process per (workload,
// server), clients in this process. Environment:
//   BENCH_SECONDS      measured seconds per run (default 10)
//   BENCH_WARMUP       warm-up seconds before measuring (default 2)
//   BENCH_WORKLOADS    comma-separated workload ids (default: all)
//   BENCH_SERVERS      comma-separated server ids (default: ours,stock,hocuspocus[,ours-pg])
//   BENCH_REPEAT       run the whole matrix this many times, server order rotated; medians are reported (default 1)
//   BENCH_PROFILE_DIR  write a CPU profile of each server over each measured window into this folder
//   BENCH_HEAP_SNAPSHOT_DIR  write heap snapshots of each server (baseline and loaded) into this folder
//   BENCH_DATABASE_URL / TEST_DATABASE_URL  also run ours on that PostgreSQL server ("ours-pg")

const MEASURE_S = positive(process.env.BENCH_SECONDS, 10);
const WARMUP_S = positive(process.env.BENCH_WARMUP, 2);
const REPEAT = Math.floor(positive(process.env.BENCH_REPEAT, 1));
/** How long to wait after the window for edits still on their way. */
const DRAIN_MS = 5_000;
const CONNECT_TIMEOUT_MS = 30_000;
/** Rooms joined at once, and clients of one room joining at once. */
const ROOM_CONCURRENCY = 20;
const CLIENT_CONCURRENCY = 25;
const LOOP_RESOLUTION_MS = 5;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function pick<T extends { id: string }>(all: T[], filter: string | undefined): T[] {
  if (!filter) return all;
  const wanted = new Set(filter.split(",").map((s) => s.trim()));
  const chosen = all.filter((item) => wanted.has(item.id));
  if (!chosen.length) throw new Error(`none of ${filter} is known (known: ${all.map((i) => i.id).join(", ")})`);
  return chosen;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(20);
  }
}

function cpuPercent(a: CpuSample, b: CpuSample): number {
  return (100 * ((b.cpuMicros - a.cpuMicros) * 1_000)) / (b.atNanos - a.atNanos);
}

function perRoom(before: MemorySample, after: MemorySample, rooms: number) {
  return {
    rssBytes: (after.rss - before.rss) / rooms,
    heapUsedBytes: (after.heapUsed - before.heapUsed) / rooms,
    externalBytes: (after.external - before.external) / rooms,
  };
}

async function runOne(server: ServerDef, workload: Workload, repeat: number): Promise<RunResult> {
  const tag = `[${workload.id} / ${server.id}${REPEAT > 1 ? ` #${repeat + 1}` : ""}]`;
  const loadAtStart = os.loadavg()[0] ?? 0;
  const proc = await ServerProcess.start(server.script, server.env);
  const clients: BenchClient[][] = [];
  const errors: string[] = [];
  const typingTimers: NodeJS.Timeout[] = [];
  try {
    const setupStart = performance.now();
    const rooms = await proc.setup(workload.rooms, workload.clientsPerRoom);
    const setupMs = performance.now() - setupStart;
    await sleep(300);
    const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
    if (snapshotDir) await mkdir(snapshotDir, { recursive: true });
    const snapshot = (stage: string) => snapshotDir && path.resolve(snapshotDir, `${workload.id}-${server.id}-${stage}.heapsnapshot`);
    const baseline = await proc.memory(snapshot("baseline"));

    const tracker = new FanoutTracker();
    const baseUrl = `ws://127.0.0.1:${proc.port}`;
    for (const room of rooms) {
      const peers = room.clients.length - 1;
      clients.push(
        room.clients.map(
          (spec, i) =>
            new BenchClient({
              baseUrl,
              path: spec.path,
              docName: spec.docName,
              token: spec.token,
              dialect: server.dialect,
              tracker,
              peers: () => peers,
              name: `${room.name}#${i}`,
              onError: (message) => {
                if (errors.length < 20) errors.push(message);
              },
            }),
        ),
      );
    }

    // Join: the first client of each room alone (it writes the article into an empty document, as
    // our server does from the database), then the rest of the room.
    const connectStart = performance.now();
    await pool(clients, ROOM_CONCURRENCY, async (roomClients) => {
      const [first, ...rest] = roomClients;
      if (!first) return;
      await withTimeout(first.connect(), CONNECT_TIMEOUT_MS, `${tag} first client sync`);
      if (!first.hasArticle()) first.seedArticle();
      await pool(rest, CLIENT_CONCURRENCY, (client) => withTimeout(client.connect(), CONNECT_TIMEOUT_MS, `${tag} client sync`));
      await waitUntil(() => roomClients.every((c) => c.hasArticle()), CONNECT_TIMEOUT_MS, `${tag} article everywhere`);
    });
    const connectMs = performance.now() - connectStart;
    if (errors.length) throw new Error(`${tag} errors while connecting:\n  ${errors.join("\n  ")}`);

    // Type: each typing client on its own timer, with a random phase.
    const periodMs = 1000 / workload.editsPerSecond;
    for (const roomClients of clients) {
      for (const client of roomClients.slice(0, workload.typersPerRoom)) {
        client.placeCursor();
        const start = setTimeout(() => {
          client.type();
          typingTimers.push(setInterval(() => client.type(), periodMs));
        }, Math.random() * periodMs);
        typingTimers.push(start);
      }
    }
    await sleep(WARMUP_S * 1000);

    const profileDir = process.env.BENCH_PROFILE_DIR;
    if (profileDir) await proc.startProfile();
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    const cpuBefore = await proc.cpu();
    const harnessCpuBefore = process.cpuUsage();
    const windowStart = performance.now();
    loopDelay.enable();
    tracker.recording = true;
    await sleep(MEASURE_S * 1000);
    tracker.recording = false;
    const windowMs = performance.now() - windowStart;
    const cpuAfter = await proc.cpu();
    if (profileDir) {
      await mkdir(profileDir, { recursive: true });
      await proc.stopProfile(path.resolve(profileDir, `${workload.id}-${server.id}-${Date.now()}.cpuprofile`));
    }
    const harnessCpu = process.cpuUsage(harnessCpuBefore);
    loopDelay.disable();
    for (const timer of typingTimers) clearInterval(timer);

    // Edits still on their way get a few seconds more; then every client of a room must have the same text.
    const countDiverged = () => clients.filter((roomClients) => new Set(roomClients.map((c) => c.content())).size > 1).length;
    const drainDeadline = Date.now() + DRAIN_MS;
    while ((tracker.outstanding() > 0 || countDiverged() > 0) && Date.now() < drainDeadline) await sleep(50);
    const undelivered = tracker.outstanding();
    const diverged = countDiverged();

    const loaded = await proc.memory(snapshot("loaded"));
    const result: RunResult = {
      workload: workload.id,
      server: server.id,
      repeat,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
      serverDescription: proc.description,
      rooms: workload.rooms,
      clients: workload.rooms * workload.clientsPerRoom,
      setupMs,
      connectMs,
      windowMs,
      editsSent: tracker.sent,
      editsPerSecond: tracker.sent / (windowMs / 1000),
      deliveries: tracker.perReceiver.length,
      undelivered,
      diverged,
      fanoutLastReceiverMs: summarize(tracker.lastReceiver),
      fanoutPerReceiverMs: summarize(tracker.perReceiver),
      serverCpuPercent: cpuPercent(cpuBefore, cpuAfter),
      serverLoopDelayP99Ms: cpuAfter.loopDelayP99Ms,
      serverLoopDelayMaxMs: cpuAfter.loopDelayMaxMs,
      harnessCpuPercent: (100 * ((harnessCpu.user + harnessCpu.system) / 1000)) / windowMs,
      // The histogram records whole timer intervals; what exceeds the interval is the delay.
      harnessLoopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      memory: { baseline, loaded, perArticle: perRoom(baseline, loaded, workload.rooms) },
      errors: [...errors],
    };
    const f = result.fanoutLastReceiverMs;
    console.log(
      `${tag} ${result.editsSent} edits, fan-out to last receiver p50 ${f.p50.toFixed(2)} ms p99 ${f.p99.toFixed(2)} ms, ` +
        `server CPU ${result.serverCpuPercent.toFixed(0)}%, heap/article ${(result.memory.perArticle.heapUsedBytes / 1024).toFixed(1)} KiB` +
        (undelivered ? `, ${undelivered} undelivered` : "") +
        (diverged ? `, ${diverged} rooms DIVERGED` : "") +
        (errors.length ? `, ${errors.length} errors` : ""),
    );
    return result;
  } finally {
    for (const timer of typingTimers) clearInterval(timer);
    for (const client of clients.flat()) client.close();
    await proc.stop();
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const servers = pick(adminUrl ? [...SERVERS, OURS_ON_POSTGRES] : SERVERS, process.env.BENCH_SERVERS);
  const workloads = pick(WORKLOADS, process.env.BENCH_WORKLOADS);
  const started = new Date();
  console.log(
    `Factdesk collaboration benchmark: ${workloads.length} workloads x ${servers.length} servers, ` +
      `${WARMUP_S} s warm-up + ${MEASURE_S} s measured each${REPEAT > 1 ? `, ${REPEAT} passes` : ""}, ${os.cpus().length} CPUs, Node ${process.version}, ` +
      `load average ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
  );
  const runs: RunResult[] = [];
  for (let repeat = 0; repeat < REPEAT; repeat++) {
    // Rotate the server order on each pass, so that no server always runs first or last.
    const order = servers.map((_, i) => servers[(i + repeat) % servers.length] as ServerDef);
    for (const workload of workloads) {
      for (const server of order) {
        try {
          runs.push(await runOne(server, workload, repeat));
        } catch (error) {
          console.error(`[${workload.id} / ${server.id}] failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exitCode = 1;
        }
      }
    }
  }
  const cpus = os.cpus();
  const report: Report = {
    startedAt: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    command: "npm run bench",
    config: { measureSeconds: MEASURE_S, warmupSeconds: WARMUP_S, drainMs: DRAIN_MS, repeat: REPEAT },
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      totalMemoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    workloads: workloads.map((w) => ({ id: w.id, label: w.label })),
    servers: servers.map((s) => ({ id: s.id, ours: s.ours, description: runs.find((r) => r.server === s.id)?.serverDescription ?? s.script })),
    runs,
  };
  const table = renderTable(report);
  console.log(`\n${table}`);
  const file = path.resolve("bench/results/latest.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...report, ratios: ratios(report), table }, null, 2)}\n`);
  console.log(`\nWritten to ${path.relative(process.cwd(), file)} (${report.durationS.toFixed(0)} s in all).`);
}

await main();
