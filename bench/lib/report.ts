import type { MemorySample } from "./ipc";
import type { ValidationResult } from "./review-validation";
import type { LatencySummary } from "./tracker";

export interface RunResult {
  workload: string;
  server: string;
  /** Which pass of BENCH_REPEAT this run belongs to (0-based). */
  repeat: number;
  /** The machine's 1-minute load average when the run started and when it ended. */
  loadAverage: { start: number; end: number };
  serverDescription: string;
  rooms: number;
  clients: number;
  setupMs: number;
  /** Time to open every socket and sync every client. */
  connectMs: number;
  windowMs: number;
  editsSent: number;
  editsPerSecond: number;
  /** (edit, receiving client) pairs observed. */
  deliveries: number;
  /** Edits of the window that some client still lacked DRAIN_MS after the window. */
  undelivered: number;
  /** Rooms whose clients did not all end with the same text. */
  diverged: number;
  fanoutLastReceiverMs: LatencySummary;
  fanoutPerReceiverMs: LatencySummary;
  /** The server process's CPU time over the window, as a percentage of one core. */
  serverCpuPercent: number;
  /** The server's own event-loop delay over the window (p99 and max, ms): how long it could not react. */
  serverLoopDelayP99Ms: number;
  serverLoopDelayMaxMs: number;
  harnessCpuPercent: number;
  harnessLoopDelayP99Ms: number;
  memory: {
    baseline: MemorySample;
    loaded: MemorySample;
    /** (loaded - baseline) / rooms: one article with its connected clients. */
    perArticle: { rssBytes: number; heapUsedBytes: number; heapDataBytes: number; externalBytes: number };
  };
  errors: string[];
  /** Review workloads: durations the server measured inside itself over the window (ms), by name. */
  serverTimings?: Record<string, LatencySummary>;
}

export interface Report {
  startedAt: string;
  durationS: number;
  command: string;
  config: { measureSeconds: number; warmupSeconds: number; drainMs: number; repeat: number };
  machine: { cpus: number; cpuModel: string; totalMemoryBytes: number; node: string; platform: string };
  workloads: { id: string; label: string; suite?: "collab" | "review"; reference?: string }[];
  servers: { id: string; ours: boolean; description: string }[];
  runs: RunResult[];
  /** The review validation micro-benchmark, one result per pass (issue 4). */
  validation?: ValidationResult[];
}

/** The server comparison's workloads (the review suite has its own section, bench/lib/review-report.ts). */
function collabWorkloads(report: Report): Report["workloads"] {
  return report.workloads.filter((w) => (w.suite ?? "collab") === "collab");
}

export interface Metric {
  label: string;
  value: (run: RunResult) => number;
  digits: number;
  /** Whether an ours/reference ratio is meaningful (lower is better for all of these). */
  ratio: boolean;
}

const KIB = 1024;

/** The server's GC pauses over the measured window, of one kind or all (recorded by bench/servers/child.ts). */
function gcPauses(run: RunResult, kind?: "minor" | "major"): LatencySummary | undefined {
  return run.serverTimings?.[kind ? `server: GC pause (${kind})` : "server: GC pause"];
}

export const METRICS: Metric[] = [
  { label: "fan-out, last receiver, p50 (ms)", value: (r) => r.fanoutLastReceiverMs.p50, digits: 2, ratio: true },
  { label: "fan-out, last receiver, p99 (ms)", value: (r) => r.fanoutLastReceiverMs.p99, digits: 2, ratio: true },
  { label: "fan-out, per receiver, p50 (ms)", value: (r) => r.fanoutPerReceiverMs.p50, digits: 2, ratio: true },
  { label: "fan-out, per receiver, p99 (ms)", value: (r) => r.fanoutPerReceiverMs.p99, digits: 2, ratio: true },
  { label: "server CPU (% of one core)", value: (r) => r.serverCpuPercent, digits: 1, ratio: true },
  { label: "server event-loop delay p99 (ms)", value: (r) => r.serverLoopDelayP99Ms, digits: 1, ratio: false },
  { label: "server event-loop delay max (ms)", value: (r) => r.serverLoopDelayMaxMs, digits: 1, ratio: false },
  { label: "server young-generation GC pauses (count)", value: (r) => gcPauses(r, "minor")?.count ?? 0, digits: 0, ratio: false },
  { label: "server young-generation GC pause, mean (ms)", value: (r) => gcPauses(r, "minor")?.mean ?? Number.NaN, digits: 2, ratio: true },
  { label: "server full GC pauses (count)", value: (r) => gcPauses(r, "major")?.count ?? 0, digits: 0, ratio: false },
  { label: "server GC pause, longest (ms)", value: (r) => gcPauses(r)?.max ?? Number.NaN, digits: 1, ratio: false },
  { label: "server heapUsed per article after GC (KiB)", value: (r) => r.memory.perArticle.heapUsedBytes / KIB, digits: 1, ratio: true },
  {
    label: "server heap per article without code (KiB)",
    value: (r) => (r.memory.perArticle.heapDataBytes ?? Number.NaN) / KIB,
    digits: 1,
    ratio: true,
  },
  { label: "server RSS per article (KiB)", value: (r) => r.memory.perArticle.rssBytes / KIB, digits: 1, ratio: true },
  { label: "server RSS before clients, after setup (MiB)", value: (r) => r.memory.baseline.rss / KIB / KIB, digits: 0, ratio: true },
  { label: "connect + sync every client (ms)", value: (r) => r.connectMs, digits: 0, ratio: true },
  { label: "edits measured", value: (r) => r.editsSent, digits: 0, ratio: false },
  { label: "edits not applied everywhere", value: (r) => r.undelivered, digits: 0, ratio: false },
  { label: "rooms whose clients diverged", value: (r) => r.diverged, digits: 0, ratio: false },
  { label: "harness CPU (% of one core)", value: (r) => r.harnessCpuPercent, digits: 1, ratio: false },
  { label: "harness event-loop delay p99 (ms)", value: (r) => r.harnessLoopDelayP99Ms, digits: 1, ratio: false },
  { label: "machine load average (1 min, at end)", value: (r) => r.loadAverage.end, digits: 1, ratio: false },
];

/** The metrics that the headline ratio table shows. */
const HEADLINE = METRICS.filter((m) =>
  [
    "fan-out, last receiver, p50 (ms)",
    "fan-out, last receiver, p99 (ms)",
    "server CPU (% of one core)",
    "server heapUsed per article after GC (KiB)",
    "server heap per article without code (KiB)",
  ].includes(m.label),
);

function fmt(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toFixed(digits);
}

/**
 * ours / reference; undefined when either side is missing, or negative (a memory delta can be, when
 * the process returned pages to the system), or the reference is zero.
 */
export function ratio(ours: number | undefined, reference: number | undefined): number | undefined {
  if (ours === undefined || reference === undefined || !Number.isFinite(ours) || !Number.isFinite(reference) || ours < 0 || reference <= 0) return undefined;
  return ours / reference;
}

function median(values: number[]): number | undefined {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!finite.length) return values.length ? Number.NaN : undefined;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid] : ((finite[mid - 1] ?? 0) + (finite[mid] ?? 0)) / 2;
}

/** A metric of one (workload, server): the median over the repeats, undefined if it did not run. */
export function valueOf(report: Report, workload: string, server: string, metric: Metric): number | undefined {
  return median(report.runs.filter((r) => r.workload === workload && r.server === server).map((r) => metric.value(r)));
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** Every ratio the report shows, for the JSON file. */
export function ratios(report: Report): { workload: string; metric: string; ours: string; reference: string; ratio: number | null }[] {
  const out: { workload: string; metric: string; ours: string; reference: string; ratio: number | null }[] = [];
  for (const w of collabWorkloads(report)) {
    for (const metric of METRICS.filter((m) => m.ratio)) {
      for (const ours of report.servers.filter((s) => s.ours)) {
        for (const reference of report.servers.filter((s) => !s.ours)) {
          const value = ratio(valueOf(report, w.id, ours.id, metric), valueOf(report, w.id, reference.id, metric));
          out.push({ workload: w.id, metric: metric.label, ours: ours.id, reference: reference.id, ratio: value ?? null });
        }
      }
    }
  }
  return out;
}

/** The report as Markdown tables: a headline of ratios, then every number per workload. */
export function renderTable(report: Report): string {
  const ours = report.servers.filter((s) => s.ours);
  const references = report.servers.filter((s) => !s.ours);
  const pairs = ours.flatMap((o) => references.map((r) => ({ ours: o.id, reference: r.id })));
  const value = (workload: string, server: string, metric: Metric) => valueOf(report, workload, server, metric);
  const lines: string[] = [];
  const workloads = collabWorkloads(report);
  if (!workloads.length) return "";

  const repeats = report.config.repeat > 1 ? `, medians of ${report.config.repeat} runs` : "";
  lines.push(`Ratios (ours / reference${repeats}; at or below 1.00 means ours is as fast or as lean, or more so):`, "");
  lines.push(row(["workload", "ours / reference", ...HEADLINE.map((m) => m.label.replace(/ \(.*\)$/, ""))]));
  lines.push(row(["---", "---", ...HEADLINE.map(() => "---:")]));
  for (const w of workloads) {
    for (const p of pairs) {
      lines.push(row([w.id, `${p.ours} / ${p.reference}`, ...HEADLINE.map((m) => fmt(ratio(value(w.id, p.ours, m), value(w.id, p.reference, m)), 2))]));
    }
  }

  for (const w of workloads) {
    lines.push("", `${w.id}: ${w.label}`, "");
    lines.push(row(["metric", ...report.servers.map((s) => s.id), ...pairs.map((p) => `${p.ours}/${p.reference}`)]));
    lines.push(row(["---", ...report.servers.map(() => "---:"), ...pairs.map(() => "---:")]));
    for (const metric of METRICS) {
      const values = report.servers.map((s) => value(w.id, s.id, metric));
      const ratioCells = pairs.map((p) => (metric.ratio ? fmt(ratio(value(w.id, p.ours, metric), value(w.id, p.reference, metric)), 2) : ""));
      lines.push(row([metric.label, ...values.map((v) => fmt(v, metric.digits)), ...ratioCells]));
    }
  }
  return lines.join("\n");
}
