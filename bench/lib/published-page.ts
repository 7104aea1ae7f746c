import { spawn, execSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import * as Y from "yjs";
import { openDatabase } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { appendUpdates, seedRoomOnce } from "@/db/queries/documents";
import { articles, teams, users } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_TEAM, seedDemoDesk } from "@/db/seed/demo-desk";
import { bodyToJson, encodeBodySeed } from "@/model/article-doc";
import { linearText } from "@/model/publishing";
import { addEvidence, anchorPositionsAt, approveClaim, createThread, encodeReviewSeed, quoteSelector, updateClaim } from "@/model/review";
import { freePort } from "../../tests/support/ports";

/**
 * The published page under load (issue 6): the real app server (server/main.ts, production build,
 * embedded database in a temporary DATA_DIR) runs as a child process; the demo article gets five
 * approved claims with evidence, and is published through the API as the demo editor. Then, from
 * this process over loopback, autocannon drives the public page and, for comparison, a static file
 * the same server serves from public/: first at a fixed 500 requests per second (latency), then as
 * fast as it answers (throughput). Targets: p99 under 20 ms at 500 req/s, and at least half the
 * static file's throughput.
 */
export interface PublishedPageOptions {
  /** Measured seconds per run. */
  seconds: number;
  /** Warm-up seconds before each target's runs (not measured). */
  warmupSeconds: number;
  /** The fixed rate of the latency runs. */
  rate: number;
  connections: number;
}

export const DEFAULT_PUBLISHED_PAGE_OPTIONS: PublishedPageOptions = { seconds: 10, warmupSeconds: 2, rate: 500, connections: 10 };

/** The static file served next to the page (a file of public/). */
export const STATIC_PATH = "/sw.js";

export interface LoadRun {
  path: string;
  mode: "rate" | "max";
  /** Requests answered per second (mean over the run). */
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  bytesPerSecond: number;
  responses: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

export interface PublishedPageResult {
  options: PublishedPageOptions;
  pageBytes: number;
  staticBytes: number;
  page: { rate: LoadRun; max: LoadRun };
  static: { rate: LoadRun; max: LoadRun };
  /** Page throughput over static throughput (as fast as each answers). */
  throughputRatio: number;
  targets: { p99Ms: number; minRatio: number; p99Met: boolean; ratioMet: boolean };
}

const CLAIMS = [
  { phrase: "more than 16,000 foreign terrorist fighters", verdict: "mostly-true" },
  { phrase: "more than 90 countries", verdict: "true" },
  { phrase: "pretending” to fight ISIS", verdict: "misleading" },
  { phrase: "Syria", verdict: "unverifiable" },
  { phrase: "terrorist", verdict: "mixed" },
];


/** Seeds the database in `dataDir` (then closes it): the demo desk, and approved claims on its article; returns their ids. */
async function seedDatabase(dataDir: string): Promise<string[]> {
  const embedded = await startEmbeddedPostgres({ dataDir });
  const handle = openDatabase(embedded.url, { embedded: true });
  try {
    const db = handle.db;
    await runMigrations(db);
    await seedDemoDesk(db);
    const [team] = await db.select().from(teams).where(eq(teams.slug, DEMO_TEAM.slug));
    const [article] = await db.select().from(articles).where(eq(articles.teamId, team!.id));
    const people = new Map((await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email.split("@")[0], u.id]));
    const checker = people.get("checker")!;
    const editor = people.get("editor")!;
    await seedRoomOnce(db, { articleId: article!.id, room: "body", seed: () => encodeBodySeed(article!.content) });
    await seedRoomOnce(db, { articleId: article!.id, room: "review", seed: encodeReviewSeed });

    const body = new Y.Doc();
    Y.applyUpdate(body, encodeBodySeed(article!.content));
    const text = linearText(bodyToJson(body));
    const review = new Y.Doc();
    const claimIds: string[] = [];
    const updates: Uint8Array[] = [];
    review.on("update", (update: Uint8Array) => updates.push(update));
    for (const { phrase, verdict } of CLAIMS) {
      const from = text.indexOf(phrase);
      const positions = from >= 0 ? anchorPositionsAt(body, from, from + phrase.length) : null;
      if (!positions) throw new Error(`"${phrase}" is not in the demo article`);
      const id = createThread(review, { kind: "claim", anchor: { ...positions, quote: quoteSelector(text, from, from + phrase.length) }, by: checker, claim: { claimant: "The article" } });
      updateClaim(review, id, { by: checker, patch: { verdict, rationale: `Checked against the public record: ${phrase}.`, state: "in_review" } });
      addEvidence(review, id, { by: checker, evidence: { url: "https://www.un.org/counterterrorism/", title: "UN counter-terrorism report", publisher: "United Nations", stance: "context", note: "" } });
      approveClaim(review, id, { by: editor });
      claimIds.push(id);
    }
    await appendUpdates(db, [{ articleId: article!.id, room: "review", userId: checker, update: Y.mergeUpdates(updates) }]);
    body.destroy();
    review.destroy();
    return claimIds;
  } finally {
    await handle.close();
    await embedded.stop();
  }
}

/** Collects Set-Cookie name=value pairs into a Cookie header. */
function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in as the demo editor through next-auth's credentials endpoint and publishes the demo article; returns the page's path. */
async function publishDemo(origin: string, claimIds: string[]): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  cookiesOf(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email: "editor@demo.factdesk.test", password: DEMO_PASSWORD, csrfToken, json: "true" }),
  });
  cookiesOf(signIn, jar);
  if (![...jar.keys()].some((k) => k.endsWith("session-token"))) throw new Error(`sign-in failed (${signIn.status})`);
  const headers = { cookie: cookieHeader(jar), "content-type": "application/json" };
  const listed = (await (await fetch(`${origin}/api/teams/${DEMO_TEAM.slug}/articles`, { headers })).json()) as { articles: { id: string; slug: string }[] };
  const article = listed.articles[0]!;
  const res = await fetch(`${origin}/api/articles/${article.id}/publications`, { method: "POST", headers, body: JSON.stringify({ claimIds }) });
  if (res.status !== 201) throw new Error(`publishing failed: ${res.status} ${await res.text()}`);
  return `/p/${DEMO_TEAM.slug}/${article.slug}`;
}

async function waitForHealth(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app server exited (${child.exitCode}) before it answered`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the app server did not answer /api/health within 180 s");
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

async function load(url: string, options: { seconds: number; connections: number; rate?: number }): Promise<autocannon.Result> {
  return autocannon({ url, connections: options.connections, duration: options.seconds, ...(options.rate ? { overallRate: options.rate } : {}) });
}

function summariseRun(pathName: string, mode: LoadRun["mode"], r: autocannon.Result): LoadRun {
  return {
    path: pathName,
    mode,
    requestsPerSecond: r.requests.average,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    bytesPerSecond: r.throughput.average,
    responses: r["2xx"],
    failures: r.errors + r.timeouts + r.non2xx,
  };
}

/** Builds the app when needed, the way `npm start` does (BENCH_SKIP_BUILD=1 uses whatever build exists). */
function ensureBuild(): void {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(".next/BUILD_ID")) return;
  execSync("node scripts/ensure-build.mjs", { stdio: "inherit" });
}

/** Runs the published page benchmark once. */
export async function runPublishedPageBench(options: PublishedPageOptions = DEFAULT_PUBLISHED_PAGE_OPTIONS): Promise<PublishedPageResult> {
  ensureBuild();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "factdesk-bench-publish-"));
  let child: ChildProcess | undefined;
  try {
    const claimIds = await seedDatabase(dataDir);
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_URL: origin, LOG_LEVEL: "warn", DATABASE_URL: "" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    await waitForHealth(origin, child);
    const pagePath = await publishDemo(origin, claimIds);

    const pageRes = await fetch(`${origin}${pagePath}`);
    if (pageRes.status !== 200) throw new Error(`the published page answered ${pageRes.status}`);
    const pageBytes = (await pageRes.arrayBuffer()).byteLength;
    const staticRes = await fetch(`${origin}${STATIC_PATH}`);
    if (staticRes.status !== 200) throw new Error(`${STATIC_PATH} answered ${staticRes.status}`);
    const staticBytes = (await staticRes.arrayBuffer()).byteLength;

    const runs = async (pathName: string) => {
      const url = `${origin}${pathName}`;
      await load(url, { seconds: options.warmupSeconds, connections: options.connections });
      const rate = summariseRun(pathName, "rate", await load(url, { seconds: options.seconds, connections: options.connections, rate: options.rate }));
      const max = summariseRun(pathName, "max", await load(url, { seconds: options.seconds, connections: options.connections }));
      return { rate, max };
    };
    const page = await runs(pagePath);
    const staticRuns = await runs(STATIC_PATH);
    const throughputRatio = page.max.requestsPerSecond / staticRuns.max.requestsPerSecond;
    const targets = { p99Ms: 20, minRatio: 0.5, p99Met: page.rate.latencyMs.p99 < 20, ratioMet: throughputRatio >= 0.5 };
    return { options, pageBytes, staticBytes, page, static: staticRuns, throughputRatio, targets };
  } finally {
    if (child) await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The results as a Markdown table for the report. */
export function renderPublishedPage(results: PublishedPageResult[]): string {
  if (!results.length) return "";
  const row = (what: string, r: LoadRun) =>
    `| ${what} | ${r.mode === "rate" ? `${r.requestsPerSecond.toFixed(0)} (fixed)` : r.requestsPerSecond.toFixed(0)} | ${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p90.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} | ${r.latencyMs.max.toFixed(1)} | ${(r.bytesPerSecond / 1024 / 1024).toFixed(1)} | ${r.failures} |`;
  return [
    "Published page (issue 6): the stored page vs a static file from public/, same server, autocannon from a second process",
    "",
    "| run | req/s | p50 ms | p90 ms | p99 ms | max ms | MiB/s | failures |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.flatMap((r, i) => {
      const tag = results.length > 1 ? ` #${i + 1}` : "";
      return [
        row(`page at ${r.options.rate}/s${tag} (${(r.pageBytes / 1024).toFixed(1)} KiB)`, r.page.rate),
        row(`static at ${r.options.rate}/s${tag} (${(r.staticBytes / 1024).toFixed(1)} KiB)`, r.static.rate),
        row(`page, max${tag}`, r.page.max),
        row(`static, max${tag}`, r.static.max),
      ];
    }),
    "",
    ...results.map(
      (r, i) =>
        `${results.length > 1 ? `#${i + 1}: ` : ""}p99 at ${r.options.rate}/s ${r.page.rate.latencyMs.p99.toFixed(1)} ms (target < ${r.targets.p99Ms} ms: ${r.targets.p99Met ? "met" : "MISSED"}); ` +
        `throughput ${(r.throughputRatio * 100).toFixed(0)}% of static (target ≥ ${r.targets.minRatio * 100}%: ${r.targets.ratioMet ? "met" : "MISSED"})`,
    ),
  ].join("\n");
}
