import { readFile } from "node:fs/promises";
import { renderTable, type Report } from "./lib/report";
import { renderReviewSection } from "./lib/review-report";

// Prints the tables of one or more results files again; with several, their runs are pooled (the
// medians are taken over all of them):
//   node --import tsx bench/render.ts [bench/results/latest.json ...]
const files = process.argv.slice(2);
const reports = await Promise.all(
  (files.length ? files : ["bench/results/latest.json"]).map(async (file) => JSON.parse(await readFile(file, "utf8")) as Report),
);
const [first, ...rest] = reports;
if (!first) throw new Error("no results file");
const pooled: Report = {
  ...first,
  config: { ...first.config, repeat: reports.reduce((n, r) => n + r.config.repeat, 0) },
  runs: reports.flatMap((r) => r.runs),
  validation: reports.flatMap((r) => r.validation ?? []),
  workloads: [...first.workloads, ...rest.flatMap((r) => r.workloads.filter((w) => !first.workloads.some((f) => f.id === w.id)))],
  servers: [...first.servers, ...rest.flatMap((r) => r.servers.filter((s) => !first.servers.some((f) => f.id === s.id)))],
};
console.log([renderTable(pooled), renderReviewSection(pooled)].filter(Boolean).join("\n\n"));
