import { METRICS, ratio, valueOf, type Metric, type Report } from "./report";
import type { ValidationResult } from "./review-validation";
import type { LatencySummary } from "./tracker";

/** The issue's target: review updates at most this much slower than body updates, at p99 (ms). */
export const TARGET_P99_DIFF_MS = 2;

type Stat = "p50" | "p90" | "p99" | "max" | "mean";
const STATS: Stat[] = ["p50", "p90", "p99", "max", "mean"];

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** One statistic of one summary, the median over the passes. */
function stat(results: ValidationResult[], pick: (r: ValidationResult) => LatencySummary | undefined, s: Stat): number {
  return median(results.map((r) => pick(r)?.[s] ?? Number.NaN));
}

function verdictLine(what: string, diff: number | undefined): string {
  if (diff === undefined || !Number.isFinite(diff)) return `${what}: not measured.`;
  const met = diff <= TARGET_P99_DIFF_MS;
  return `${what}: review p99 − body p99 = ${diff.toFixed(3)} ms (target ≤ ${TARGET_P99_DIFF_MS} ms): ${met ? "MET" : "MISSED"}.`;
}

/** The in-process validation benchmark as Markdown: back to back, then paced as in a live room. */
export function renderValidation(all: ValidationResult[]): string {
  const paces = [...new Set(all.map((r) => r.options.paceMs ?? 0))].sort((a, b) => a - b);
  return paces
    .map((pace) => renderValidationGroup(all.filter((r) => (r.options.paceMs ?? 0) === pace)))
    .filter(Boolean)
    .join("\n\n");
}

function renderValidationGroup(results: ValidationResult[]): string {
  const first = results[0];
  if (!first) return "";
  const o = first.options;
  const pace = o.paceMs ?? 0;
  const lines: string[] = [];
  const passes = results.length > 1 ? `, medians of ${results.length} passes` : "";
  const how = pace ? `paced: one body and one review update every ${pace} ms, as in a live room` : "back to back: a hot loop, the best case";
  lines.push(
    `One update, in process, ${how} (${o.updates} updates per room after ${o.warmup} warm-up, ${o.writers} writers${passes}; ms). ` +
      `Review document: ${first.threads} claims, ${first.evidenceAtStart} evidence items at the start (${first.evidenceAtEnd} at the end), ` +
      `${(first.reviewDocBytes / 1024).toFixed(0)} KiB encoded; body: the demo article, ${(first.bodyDocBytes / 1024).toFixed(1)} KiB. ` +
      `Mean update size: review ${first.reviewUpdateBytes.toFixed(0)} B, body ${first.bodyUpdateBytes.toFixed(0)} B.`,
    "",
  );
  lines.push(row(["room", "what is timed", ...STATS]));
  lines.push(row(["---", "---", ...STATS.map(() => "---:")]));
  const rows: [string, string, (r: ValidationResult) => LatencySummary | undefined][] = [
    ["body", "`room.applyUpdate` (1-character insert)", (r) => r.body],
    ["review", "`room.guard.check` + `room.applyUpdate`", (r) => r.review],
    ["review", "`room.guard.check` alone", (r) => r.reviewCheck],
    ["review", "`room.applyUpdate` alone", (r) => r.reviewApply],
  ];
  for (const [room, what, pick] of rows) lines.push(row([room, what, ...STATS.map((s) => fmt(stat(results, pick, s), 3))]));
  lines.push(row(["review / body", "ratio", ...STATS.map((s) => fmt(ratio(stat(results, (r) => r.review, s), stat(results, (r) => r.body, s)), 1))]));
  lines.push(row(["review − body", "difference (ms)", ...STATS.map((s) => fmt(stat(results, (r) => r.review, s) - stat(results, (r) => r.body, s), 3))]));
  if (!pace) {
    lines.push("", "Review room, check + apply, by kind of change (ms):", "");
    lines.push(row(["change", "count", "p50", "p99", "max", "mean"]));
    lines.push(row(["---", "---:", "---:", "---:", "---:", "---:"]));
    for (const kind of Object.keys(first.byKind)) {
      const pick = (r: ValidationResult) => r.byKind[kind];
      lines.push(row([kind, fmt(first.byKind[kind]?.count, 0), ...(["p50", "p99", "max", "mean"] as Stat[]).map((s) => fmt(stat(results, pick, s), 3))]));
    }
  }
  const refused = results.reduce((n, r) => n + r.refused, 0);
  lines.push("");
  if (!pace && results.some((r) => r.projectionRead)) {
    const read = (s: Stat) => fmt(stat(results, (r) => r.projectionRead, s), 1);
    lines.push(`For scale: reading every thread of this document (\`readThreads\`, ${first.threads} threads) takes ${read("p50")} ms (max ${read("max")} ms).`);
  }
  if (refused) lines.push(`WARNING: ${refused} honest updates were refused; the figures are not valid.`);
  lines.push(verdictLine(`In process, ${pace ? "paced" : "back to back"}`, stat(results, (r) => r.review, "p99") - stat(results, (r) => r.body, "p99")));
  return lines.join("\n");
}

const metric = (label: string): Metric => {
  const m = METRICS.find((x) => x.label === label);
  if (!m) throw new Error(`no metric ${label}`);
  return m;
};

/** The fan-out comparison of each review workload with its body reference, per server. */
export function renderReviewFanout(report: Report): string {
  const lines: string[] = [];
  const p50 = metric("fan-out, last receiver, p50 (ms)");
  const p99 = metric("fan-out, last receiver, p99 (ms)");
  const perP99 = metric("fan-out, per receiver, p99 (ms)");
  const cpu = metric("server CPU (% of one core)");
  const loopMax = metric("server event-loop delay max (ms)");
  const edits = metric("edits measured");
  const undelivered = metric("edits not applied everywhere");
  const diverged = metric("rooms whose clients diverged");
  for (const review of report.workloads.filter((w) => w.suite === "review" && w.reference)) {
    const body = report.workloads.find((w) => w.id === review.reference);
    if (!body) continue;
    const servers = report.servers.filter((s) => report.runs.some((r) => r.server === s.id && (r.workload === review.id || r.workload === body.id)));
    if (!servers.length) continue;
    const repeats = report.config.repeat > 1 ? `, medians of ${report.config.repeat} runs` : "";
    lines.push(`Fan-out to the last receiver: \`${review.id}\` (${review.label}) against \`${body.id}\` (${body.label})${repeats}; ms unless marked.`, "");
    lines.push(
      row([
        "server",
        "body p50",
        "body p99",
        "review p50",
        "review p99",
        "review/body p50",
        "review/body p99",
        "p99 review − body",
        "per-receiver p99 body / review",
        "server CPU % body / review",
        "server loop delay max body / review",
        "edits body / review",
      ]),
    );
    lines.push(row(["---", ...Array.from({ length: 11 }, () => "---:")]));
    for (const s of servers) {
      const v = (w: string, m: Metric) => valueOf(report, w, s.id, m);
      const label = s.ours ? s.id : `${s.id} (no validation, same traffic)`;
      const issues = [undelivered, diverged].map((m) => (v(body.id, m) ?? 0) + (v(review.id, m) ?? 0)).reduce((a, b) => a + b, 0);
      lines.push(
        row([
          label + (issues ? " ⚠" : ""),
          fmt(v(body.id, p50), 2),
          fmt(v(body.id, p99), 2),
          fmt(v(review.id, p50), 2),
          fmt(v(review.id, p99), 2),
          fmt(ratio(v(review.id, p50), v(body.id, p50)), 2),
          fmt(ratio(v(review.id, p99), v(body.id, p99)), 2),
          fmt((v(review.id, p99) ?? Number.NaN) - (v(body.id, p99) ?? Number.NaN), 2),
          `${fmt(v(body.id, perP99), 2)} / ${fmt(v(review.id, perP99), 2)}`,
          `${fmt(v(body.id, cpu), 1)} / ${fmt(v(review.id, cpu), 1)}`,
          `${fmt(v(body.id, loopMax), 0)} / ${fmt(v(review.id, loopMax), 0)}`,
          `${fmt(v(body.id, edits), 0)} / ${fmt(v(review.id, edits), 0)}`,
        ]),
      );
    }
    lines.push("");
    for (const s of servers.filter((x) => x.ours)) {
      const diff = (valueOf(report, review.id, s.id, p99) ?? Number.NaN) - (valueOf(report, body.id, s.id, p99) ?? Number.NaN);
      lines.push(verdictLine(`Fan-out on ${s.id}`, diff));
    }
    if (servers.some((s) => [undelivered, diverged].some((m) => (valueOf(report, review.id, s.id, m) ?? 0) + (valueOf(report, body.id, s.id, m) ?? 0) > 0))) {
      lines.push("⚠: some edits were not applied everywhere, or clients diverged (see the JSON file).");
    }
  }
  return lines.join("\n");
}

/** What the servers measured inside themselves during the windows of the review workloads. */
export function renderServerTimings(report: Report): string {
  const lines: string[] = [];
  const ids = report.workloads.filter((w) => w.suite === "review").map((w) => w.id);
  for (const server of report.servers) {
    const runs = report.runs.filter((r) => r.server === server.id && ids.includes(r.workload) && r.serverTimings);
    const rows: string[] = [];
    for (const workload of ids) {
      const mine = runs.filter((r) => r.workload === workload);
      const names = [...new Set(mine.flatMap((r) => Object.keys(r.serverTimings ?? {})))].sort();
      for (const name of names) {
        const pick = (f: (t: LatencySummary) => number) => median(mine.map((r) => (r.serverTimings?.[name] ? f(r.serverTimings[name]) : Number.NaN)));
        rows.push(
          row([
            workload,
            name,
            fmt(pick((t) => t.count), 0),
            fmt(pick((t) => t.p50), 3),
            fmt(pick((t) => t.p99), 3),
            fmt(pick((t) => t.max), 2),
            fmt(pick((t) => t.count * t.mean), 1),
          ]),
        );
      }
    }
    if (!rows.length) continue;
    lines.push(`Inside \`${server.id}\` during the window (medians over runs; ms):`, "");
    lines.push(row(["workload", "what", "count", "p50", "p99", "max", "total"]));
    lines.push(row(["---", "---", "---:", "---:", "---:", "---:", "---:"]));
    lines.push(...rows, "");
  }
  return lines.join("\n").trimEnd();
}

/** The whole review section: the in-process figures and the fan-out comparison. */
export function renderReviewSection(report: Report): string {
  const parts = [renderValidation(report.validation ?? []), renderReviewFanout(report), renderServerTimings(report)].filter(Boolean);
  return parts.length ? ["Review validation (issue 4)", "", ...parts.flatMap((p) => [p, ""])].join("\n").trimEnd() : "";
}
