import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import type { CpuSample, MemorySample, Ready, Reply, Request, ReviewSetup, RoomSpec, ServerTimings } from "../lib/ipc";

/** What each server script provides to the shared child-process loop. */
export interface BenchServer {
  port: number;
  description: string;
  /** Creates `rooms` rooms with `clientsPerRoom` client credentials each (review workloads: see ReviewSetup). */
  setup(rooms: number, clientsPerRoom: number, review?: ReviewSetup): Promise<RoomSpec[]>;
  /** CPU time (µs) of processes the server started and relies on (ours: the embedded database), counted as the server's. */
  helperCpuMicros?(): number;
  /** Optional instrumentation: start recording (true), or stop and return the recorded durations (false). */
  timings?(recording: boolean): ServerTimings;
  stop(): Promise<void>;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Forces full collections (the child runs with --expose-gc) and samples memory. */
async function sampleMemory(heapSnapshot?: string): Promise<MemorySample> {
  if (!gc) throw new Error("start the server child with --expose-gc");
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const m = process.memoryUsage();
  const compiledCode = getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith("code_"))
    .reduce((sum, space) => sum + space.space_used_size, 0);
  if (heapSnapshot) {
    writeHeapSnapshot(heapSnapshot);
    // A heap snapshot leaves V8 tracking every object a collection moves (for the snapshot's object
    // ids), which made scavenges several times longer for the rest of the run. Disabling the heap
    // profiler clears those ids and ends the tracking.
    const session = new Session();
    session.connect();
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.disable");
    session.disconnect();
  }
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, compiledCode };
}

const LOOP_RESOLUTION_MS = 5;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();

/** CPU time so far, and the event-loop delay since the previous sample (the histogram then restarts). */
function sampleCpu(server: BenchServer): CpuSample {
  const usage = process.cpuUsage();
  // The histogram records whole timer intervals; what exceeds the interval is the delay.
  const delay = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  const sample = {
    cpuMicros: usage.user + usage.system + (server.helperCpuMicros?.() ?? 0),
    atNanos: Number(process.hrtime.bigint()),
    loopDelayP99Ms: delay(loopDelay.percentile(99)),
    loopDelayMaxMs: delay(loopDelay.max),
  };
  loopDelay.reset();
  return sample;
}

/** Garbage-collection pauses while the harness records timings (any server). */
let gcPauses: Record<string, number[]> = {};
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak callbacks",
};
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other";
    for (const key of ["server: GC pause", `server: GC pause (${kind})`]) (gcPauses[key] ??= []).push(entry.duration);
  }
});

/** Starts or stops recording this process's GC pauses and the server's own timings. */
function timings(server: BenchServer, recording: boolean): ServerTimings {
  if (recording) {
    gcPauses = {};
    gcObserver.observe({ entryTypes: ["gc"] });
    server.timings?.(true);
    return {};
  }
  gcObserver.disconnect();
  return { ...(server.timings?.(false) ?? {}), "server: GC pause": [], ...gcPauses };
}

let profiler: Session | undefined;

/** Starts the V8 CPU profiler and the sampling allocation profiler in this process (for BENCH_PROFILE_DIR). */
async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
  await profiler.post("Profiler.start");
  // By default every allocation counts, also what the next scavenge frees. With
  // BENCH_PROFILE_ALLOCATIONS=promoted only what outlived young-generation collections does: the
  // objects that make scavenges long and full collections frequent.
  const promotedOnly = process.env.BENCH_PROFILE_ALLOCATIONS === "promoted";
  await profiler.post("HeapProfiler.startSampling", { samplingInterval: 8192, includeObjectsCollectedByMinorGC: !promotedOnly, includeObjectsCollectedByMajorGC: true });
}

/**
 * Stops the profilers and writes `<file>.cpuprofile` and `<file>.heapprofile` (open them in Chrome
 * DevTools or speedscope).
 */
async function stopProfile(file: string): Promise<void> {
  if (!profiler) throw new Error("the profiler is not running");
  const { profile } = await profiler.post("Profiler.stop");
  const { profile: allocations } = await profiler.post("HeapProfiler.stopSampling");
  profiler.disconnect();
  profiler = undefined;
  await writeFile(`${file}.cpuprofile`, JSON.stringify(profile));
  await writeFile(`${file}.heapprofile`, JSON.stringify(allocations));
}

function send(message: Reply | Ready): void {
  process.send?.(message);
}

/**
 * Runs a benchmark server as a child of the harness: reports its port, then answers setup, memory,
 * CPU and stop requests over IPC. Exits when the harness goes away.
 */
export async function runChild(start: () => Promise<BenchServer>): Promise<void> {
  if (!process.send) throw new Error("bench servers are started by bench/run.ts (they need an IPC channel)");
  let server: BenchServer;
  try {
    server = await start();
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= server.stop().catch((error: unknown) => console.error("bench server stop failed", error)));
  process.on("message", (request: Request) => {
    const answer = async (): Promise<Reply> => {
      switch (request.type) {
        case "setup":
          return { id: request.id, type: "setup", rooms: await server.setup(request.rooms, request.clientsPerRoom, request.review) };
        case "memory":
          return { id: request.id, type: "memory", memory: await sampleMemory(request.heapSnapshot) };
        case "cpu":
          return { id: request.id, type: "cpu", cpu: sampleCpu(server) };
        case "profile-start":
          await startProfile();
          return { id: request.id, type: "profile-start" };
        case "profile-stop":
          await stopProfile(request.file);
          return { id: request.id, type: "profile-stop", file: request.file };
        case "timings":
          return { id: request.id, type: "timings", timings: timings(server, request.recording) };
        case "stop":
          await stop();
          return { id: request.id, type: "stop" };
      }
    };
    answer().then(
      (reply) => {
        send(reply);
        if (reply.type === "stop") process.disconnect();
      },
      (error: unknown) => send({ id: request.id, type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // The harness died or disconnected: clean up (drop a benchmark database) and leave.
  process.on("disconnect", () => {
    void stop().finally(() => process.exit(0));
  });
  send({ type: "ready", port: server.port, description: server.description });
}
