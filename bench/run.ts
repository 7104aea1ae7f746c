import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { BenchClient } from "./lib/client";
import type { CpuSample, MemorySample } from "./lib/ipc";
import { ratios, renderTable, type Report, type RunResult } from "./lib/report";
import { renderReviewSection } from "./lib/review-report";
import { DEFAULT_REVISION_HISTORY_OPTIONS, renderRevisionHistory, runRevisionHistoryBench, type RevisionHistoryResult } from "./lib/revision-history";
import { DEFAULT_VALIDATION_OPTIONS, PACED_VALIDATION_OPTIONS, runValidationBench, type ValidationResult } from "./lib/review-validation";
import { ServerProcess } from "./lib/server-process";
import { DEFAULT_PUBLISHED_PAGE_OPTIONS, renderPublishedPage, runPublishedPageBench, type PublishedPageResult } from "./lib/published-page";
import { DEFAULT_SCALE_OUT_OPTIONS, renderScaleOut, runScaleOutBench, type ScaleOutResult } from "./lib/scale-out";
import { heapWithoutCode } from "./lib/heap-snapshot";
import { FanoutTracker, summarize } from "./lib/tracker";
import { OURS_ON_POSTGRES, REVIEW_WORKLOADS, SERVERS, WORKLOADS, type ServerDef, type Workload } from "./lib/workloads";

// `npm run bench`: every workload against every server, one fresh server process per (workload,
// server), clients in this process. Environment:
//   BENCH_SUITE        all (default) | collab (ours vs stock vs Hocuspocus) | review (review validation, issue 4)
//                      | revisions (list / rebuild / compare on an article with 5,000 updates and 200 revisions, issue 5)
//                      | publishing (the published page vs a static file under autocannon, issue 6; needs a production
//                        build, made first if missing or stale unless BENCH_SKIP_BUILD=1)
//                      | scale (issue 8: 200 clients on one article over 1, 2 and 3 collaboration server processes
//                        sharing PostgreSQL and Redis; needs BENCH_DATABASE_URL or TEST_DATABASE_URL, and Redis at
//                        BENCH_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379; part of "all" when a database is set)
//   BENCH_SCALE_SERVERS comma-separated server counts of the scale suite (default 1,2,3)
//   BENCH_SECONDS      measured seconds per run (default 10)
//   BENCH_WARMUP       warm-up seconds before measuring (default 2)
//   BENCH_WORKLOADS    comma-separated workload ids (default: all of the suite); "validation" is the
//                      review suite's in-process validation benchmark
//   BENCH_VALIDATION_UPDATES  measured updates per room in that benchmark, back to back (default 2000;
//                      the paced variant always measures 400, 20 ms apart)
//   BENCH_SERVERS      comma-separated server ids (default: ours,stock,hocuspocus[,ours-pg])
//   BENCH_REPEAT       run the whole matrix this many times, server order rotated; medians are reported (default 1)
//   BENCH_PROFILE_DIR  write a CPU profile of each server over each measured window into this folder
//   BENCH_HEAP_SNAPSHOT_DIR  write heap snapshots of each server (baseline and loaded) into this folder
//   BENCH_DATABASE_URL / TEST_DATABASE_URL  also run ours on that PostgreSQL server ("ours-pg")
//   BENCH_RESULTS_FILE where to write the results (default bench/results/latest.json)

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
/** How long the warm-up room's two clients type before the memory baseline. */
const WARM_UP_TYPING_MS = 2_000;
const SUITE = process.env.BENCH_SUITE ?? "all";
if (!["all", "collab", "review", "revisions", "publishing", "scale"].includes(SUITE)) {
  throw new Error(`BENCH_SUITE must be all, collab, review, revisions, publishing or scale (not ${SUITE})`);
}
/** The pseudo-workload id of the in-process validation benchmark. */
const VALIDATION = "validation";

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

/**
 * The server's memory after forced GCs, with the heap without code read from a heap snapshot. The
 * snapshot is written by the server and read here, so that parsing it never touches the server's
 * heap; it is kept in BENCH_HEAP_SNAPSHOT_DIR when that is set.
 */
async function sampleMemory(proc: ServerProcess, name: string): Promise<MemorySample> {
  const keepDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  const dir = keepDir ?? os.tmpdir();
  await mkdir(dir, { recursive: true });
  const file = path.resolve(dir, `${keepDir ? "" : `factdesk-bench-${process.pid}-`}${name}.heapsnapshot`);
  const memory = await proc.memory(file);
  return { ...memory, heapWithoutCode: await heapWithoutCode(file, { keep: Boolean(keepDir) }) };
}

function perRoom(before: MemorySample, after: MemorySample, rooms: number) {
  return {
    rssBytes: (after.rss - before.rss) / rooms,
    heapUsedBytes: (after.heapUsed - before.heapUsed) / rooms,
    heapDataBytes: ((after.heapWithoutCode ?? Number.NaN) - (before.heapWithoutCode ?? Number.NaN)) / rooms,
    externalBytes: (after.external - before.external) / rooms,
  };
}

/** The in-process validation benchmark (review suite): back to back, then paced. */
async function runValidation(repeat: number): Promise<ValidationResult[]> {
  const updates = Math.floor(positive(process.env.BENCH_VALIDATION_UPDATES, DEFAULT_VALIDATION_OPTIONS.updates));
  const results: ValidationResult[] = [];
  for (const options of [{ ...DEFAULT_VALIDATION_OPTIONS, updates }, PACED_VALIDATION_OPTIONS]) {
    const result = await runValidationBench(options);
    const f = (s: { p50: number; p99: number }) => `p50 ${s.p50.toFixed(3)} ms p99 ${s.p99.toFixed(3)} ms`;
    console.log(
      `[${VALIDATION}${options.paceMs ? ` paced ${options.paceMs} ms` : ""}${REPEAT > 1 ? ` #${repeat + 1}` : ""}] ${result.review.count} updates per room: body apply ${f(result.body)}; ` +
        `review check + apply ${f(result.review)} (check ${f(result.reviewCheck)})` +
        (result.refused ? `, ${result.refused} REFUSED` : "") +
        ` (${(result.durationMs / 1000).toFixed(1)} s)`,
    );
    results.push(result);
  }
  return results;
}

/** Connects two clients to the warm-up room, types for a while and waits until it is stored; they stay connected. */
async function warmUp(server: ServerDef, proc: ServerProcess, room: Awaited<ReturnType<ServerProcess["setup"]>>[number], workload: Workload, tag: string): Promise<BenchClient[]> {
  const tracker = new FanoutTracker();
  const warm = room.clients.slice(0, 2).map(
    (spec, i) =>
      new BenchClient({
        baseUrl: `ws://127.0.0.1:${proc.port}`,
        path: spec.path,
        docName: spec.docName,
        token: spec.token,
        dialect: server.dialect,
        tracker,
        peers: () => 1,
        name: `warm-up#${i}`,
        room: workload.review?.room,
        userId: spec.userId,
        claimId: spec.claimId,
        onError: (message) => {
          throw new Error(`${tag} warm-up: ${message}`);
        },
      }),
  );
  const [first, second] = warm as [BenchClient, BenchClient];
  await withTimeout(first.connect(), CONNECT_TIMEOUT_MS, `${tag} warm-up sync`);
  if (!first.hasArticle()) first.seedArticle(room.seed);
  await withTimeout(second.connect(), CONNECT_TIMEOUT_MS, `${tag} warm-up sync`);
  await waitUntil(() => second.hasArticle(), CONNECT_TIMEOUT_MS, `${tag} warm-up article`);
  for (const client of warm) client.placeCursor();
  // Long enough for the relay and the storage paths to run many times (and be compiled).
  const until = performance.now() + WARM_UP_TYPING_MS;
  while (performance.now() < until) {
    for (const client of warm) client.type();
    await sleep(10);
  }
  await waitUntil(() => first.content() === second.content(), CONNECT_TIMEOUT_MS, `${tag} warm-up converged`);
  // Longer than a flush window, so that the first write to the log has happened too.
  await sleep(600);
  return warm;
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
    const rooms = await proc.setup(workload.rooms + 1, workload.clientsPerRoom, workload.review);
    const setupMs = performance.now() - setupStart;
    // One extra room is used, and stays connected, before the memory baseline: what a server sets up
    // once on its first room (parsers, schemas, query builders, buffers) is then not counted per article.
    clients.push(await warmUp(server, proc, rooms.pop()!, workload, tag));
    await sleep(300);
    const baseline = await sampleMemory(proc, `${workload.id}-${server.id}-baseline`);

    const tracker = new FanoutTracker();
    const baseUrl = `ws://127.0.0.1:${proc.port}`;
    const warmUpClients = clients.length;
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
              room: workload.review?.room,
              userId: spec.userId,
              claimId: spec.claimId,
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
    const measured = clients.slice(warmUpClients);
    await pool(measured, ROOM_CONCURRENCY, async (roomClients) => {
      const [first, ...rest] = roomClients;
      if (!first) return;
      await withTimeout(first.connect(), CONNECT_TIMEOUT_MS, `${tag} first client sync`);
      if (!first.hasArticle()) first.seedArticle(rooms[measured.indexOf(roomClients)]?.seed);
      await pool(rest, CLIENT_CONCURRENCY, (client) => withTimeout(client.connect(), CONNECT_TIMEOUT_MS, `${tag} client sync`));
      await waitUntil(() => roomClients.every((c) => c.hasArticle()), CONNECT_TIMEOUT_MS, `${tag} article everywhere`);
    });
    const connectMs = performance.now() - connectStart;
    if (errors.length) throw new Error(`${tag} errors while connecting:\n  ${errors.join("\n  ")}`);

    // Type: each typing client on its own timer, with a random phase (or a random gap each time).
    const periodMs = 1000 / workload.editsPerSecond;
    let typing = true;
    const gap = workload.gapMs;
    const typeWithGaps = (client: BenchClient, [min, max]: [number, number]) => {
      const timer = setTimeout(
        () => {
          typingTimers.splice(typingTimers.indexOf(timer), 1);
          if (!typing) return;
          client.type();
          typeWithGaps(client, [min, max]);
        },
        min + Math.random() * (max - min),
      );
      typingTimers.push(timer);
    };
    for (const roomClients of measured) {
      for (const client of roomClients.slice(0, workload.typersPerRoom)) {
        client.placeCursor();
        if (gap) {
          typeWithGaps(client, gap);
          continue;
        }
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
    // Every server's GC pauses are recorded; ours also times its own steps in the review workloads.
    await proc.timings(true);
    const cpuBefore = await proc.cpu();
    const harnessCpuBefore = process.cpuUsage();
    const windowStart = performance.now();
    loopDelay.enable();
    tracker.recording = true;
    await sleep(MEASURE_S * (workload.measureScale ?? 1) * 1000);
    tracker.recording = false;
    const windowMs = performance.now() - windowStart;
    const cpuAfter = await proc.cpu();
    const serverTimings = Object.fromEntries(Object.entries(await proc.timings(false)).map(([k, v]) => [k, summarize(v)]));
    if (profileDir) {
      await mkdir(profileDir, { recursive: true });
      await proc.stopProfile(path.resolve(profileDir, `${workload.id}-${server.id}-${Date.now()}`));
    }
    const harnessCpu = process.cpuUsage(harnessCpuBefore);
    loopDelay.disable();
    typing = false;
    for (const timer of typingTimers) clearInterval(timer);

    // Edits still on their way get a few seconds more; then every client of a room must have the same text.
    const countDiverged = () => measured.filter((roomClients) => new Set(roomClients.map((c) => c.content())).size > 1).length;
    const drainDeadline = Date.now() + DRAIN_MS;
    while ((tracker.outstanding() > 0 || countDiverged() > 0) && Date.now() < drainDeadline) await sleep(50);
    const undelivered = tracker.outstanding();
    const diverged = countDiverged();

    const loaded = await sampleMemory(proc, `${workload.id}-${server.id}-loaded`);
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
      serverTimings,
    };
    const f = result.fanoutLastReceiverMs;
    console.log(
      `${tag} ${result.editsSent} edits, fan-out to last receiver p50 ${f.p50.toFixed(2)} ms p99 ${f.p99.toFixed(2)} ms, ` +
        `server CPU ${result.serverCpuPercent.toFixed(0)}%, heap/article ${(result.memory.perArticle.heapUsedBytes / 1024).toFixed(1)} KiB (without code ${(result.memory.perArticle.heapDataBytes / 1024).toFixed(1)} KiB)` +
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
  const inSuite = [...(SUITE === "all" || SUITE === "collab" ? WORKLOADS : []), ...(SUITE === "all" || SUITE === "review" ? REVIEW_WORKLOADS : [])];
  const workloadFilter = process.env.BENCH_WORKLOADS?.split(",").map((w) => w.trim());
  const validation = (SUITE === "all" || SUITE === "review") && (!workloadFilter || workloadFilter.includes(VALIDATION));
  const workloads =
    !inSuite.length || (workloadFilter?.length === 1 && workloadFilter[0] === VALIDATION) ? [] : pick(inSuite, workloadFilter?.filter((w) => w !== VALIDATION).join(","));
  const history = SUITE === "all" || SUITE === "revisions";
  const publishing = SUITE === "all" || SUITE === "publishing";
  if (SUITE === "scale" && !adminUrl) throw new Error("BENCH_SUITE=scale needs PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const scaleOut = SUITE === "scale" || (SUITE === "all" && Boolean(adminUrl));
  const started = new Date();
  console.log(
    `Factdesk collaboration benchmark (suite ${SUITE}): ${workloads.length} workloads x up to ${servers.length} servers` +
      `${validation ? " + the in-process review validation benchmark" : ""}, ` +
      `${WARMUP_S} s warm-up + ${MEASURE_S} s measured each${workloads.some((w) => w.measureScale) ? " (some longer, see workloads.ts)" : ""}${REPEAT > 1 ? `, ${REPEAT} passes` : ""}, ${os.cpus().length} CPUs, Node ${process.version}, ` +
      `load average ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
  );
  const runs: RunResult[] = [];
  const validationResults: ValidationResult[] = [];
  const historyResults: RevisionHistoryResult[] = [];
  const publishedPageResults: PublishedPageResult[] = [];
  const scaleOutResults: ScaleOutResult[] = [];
  for (let repeat = 0; repeat < REPEAT; repeat++) {
    // --- Scale-out (issue 8): collaboration server processes of their own, clients here. ---------------
    if (scaleOut && adminUrl) {
      const serverCounts = (process.env.BENCH_SCALE_SERVERS ?? "1,2,3").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
      const redisUrl = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || "redis://127.0.0.1:6379";
      scaleOutResults.push(
        await runScaleOutBench({
          adminUrl,
          redisUrl,
          options: { ...DEFAULT_SCALE_OUT_OPTIONS, seconds: MEASURE_S, warmupSeconds: WARMUP_S, serverCounts },
          pass: repeat,
          log: (line) => console.log(REPEAT > 1 ? `${line} (#${repeat + 1})` : line),
        }),
      );
    }
    // --- end of scale-out -------------------------------------------------------------------------------
    if (history) {
      for (const kind of adminUrl ? (["embedded", "postgres"] as const) : (["embedded"] as const)) {
        const result = await runRevisionHistoryBench(kind, DEFAULT_REVISION_HISTORY_OPTIONS);
        const t = result.timings;
        console.log(
          `[revision history / ${kind}${REPEAT > 1 ? ` #${repeat + 1}` : ""}] built in ${(result.setupMs / 1000).toFixed(1)} s; p95: list ${t.list.p95.toFixed(1)} ms, ` +
            `rebuild ${t.rebuild.p95.toFixed(1)} ms, view ${t.view.p95.toFixed(1)} ms, compare ${t.compare.p95.toFixed(1)} ms, compare with now ${t.compareWithCurrent.p95.toFixed(1)} ms`,
        );
        historyResults.push(result);
      }
    }
    // --- Publishing (issue 6): the app server as a child process, autocannon from here. -----------------
    if (publishing) {
      const result = await runPublishedPageBench({ ...DEFAULT_PUBLISHED_PAGE_OPTIONS, seconds: MEASURE_S, warmupSeconds: WARMUP_S });
      const f = (r: PublishedPageResult["page"]["rate"]) => `p50 ${r.latencyMs.p50.toFixed(1)} ms p99 ${r.latencyMs.p99.toFixed(1)} ms`;
      console.log(
        `[published page${REPEAT > 1 ? ` #${repeat + 1}` : ""}] at ${result.options.rate}/s: page ${f(result.page.rate)}, static ${f(result.static.rate)}; ` +
          `max: page ${result.page.max.requestsPerSecond.toFixed(0)} req/s, static ${result.static.max.requestsPerSecond.toFixed(0)} req/s (${(result.throughputRatio * 100).toFixed(0)}%)`,
      );
      publishedPageResults.push(result);
    }
    // --- end of publishing ------------------------------------------------------------------------------
    // In process and first, while the harness has no clients and no server child is running.
    if (validation) validationResults.push(...(await runValidation(repeat)));
    // Rotate the server order on each pass, so that no server always runs first or last.
    const order = servers.map((_, i) => servers[(i + repeat) % servers.length] as ServerDef);
    for (const workload of workloads) {
      for (const server of order.filter((s) => !workload.servers || workload.servers.includes(s.id))) {
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
    command: SUITE === "all" ? "npm run bench" : `BENCH_SUITE=${SUITE} npm run bench`,
    config: { measureSeconds: MEASURE_S, warmupSeconds: WARMUP_S, drainMs: DRAIN_MS, repeat: REPEAT },
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      totalMemoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    workloads: workloads.map((w) => ({ id: w.id, label: w.label, suite: w.suite ?? "collab", reference: w.reference })),
    servers: servers.map((s) => ({ id: s.id, ours: s.ours, description: runs.find((r) => r.server === s.id)?.serverDescription ?? s.script })),
    runs,
    validation: validationResults,
  };
  const table = [
    workloads.length ? renderTable(report) : "",
    renderReviewSection(report),
    renderRevisionHistory(historyResults),
    renderPublishedPage(publishedPageResults),
    renderScaleOut(scaleOutResults),
  ]
    .filter(Boolean)
    .join("\n\n");
  console.log(`\n${table}`);
  const file = path.resolve(process.env.BENCH_RESULTS_FILE || "bench/results/latest.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify({ ...report, ratios: ratios(report), revisionHistory: historyResults, publishedPage: publishedPageResults, scaleOut: scaleOutResults, table }, null, 2)}\n`,
  );
  console.log(`\nWritten to ${path.relative(process.cwd(), file)} (${report.durationS.toFixed(0)} s in all).`);
}

await main();
