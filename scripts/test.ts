import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

// `npm test`: lint, typecheck, unit and integration tests, a production build, then Playwright on
// Debian's Chromium against that build. The integration and browser tests run on the embedded
// database, and on real PostgreSQL as well when TEST_DATABASE_URL is set.
const REPORTS = "reports";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function run(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

function ensureChromium(): void {
  if (existsSync(chromium)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (!isRoot || !hasApt) {
    console.error(`Chromium is missing at ${chromium}. Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  run("install Debian's Chromium", "sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"]);
}

function count(file: string, pick: (json: never) => { passed: number; failed: number }): { passed: number; failed: number } {
  try {
    return pick(JSON.parse(readFileSync(file, "utf8")) as never);
  } catch {
    return { passed: 0, failed: 0 };
  }
}

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
mkdirSync(REPORTS, { recursive: true });
console.log(`Databases: embedded${process.env.TEST_DATABASE_URL ? " and PostgreSQL (TEST_DATABASE_URL)" : " only (set TEST_DATABASE_URL to add PostgreSQL)"}`);
ensureChromium();
run("lint", "npx", ["eslint", "--max-warnings", "0", "."]);
run("typecheck", "npx", ["tsc", "--noEmit"]);
run("unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/vitest.json`]);
run("production build", "npx", ["next", "build"]);
run("browser tests", "npx", ["playwright", "test"]);

const vitest = count(`${REPORTS}/vitest.json`, (j: { numPassedTests: number; numFailedTests: number }) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));
const browser = count(`${REPORTS}/playwright.json`, (j: { stats: { expected: number; unexpected: number; flaky: number } }) => ({
  passed: j.stats.expected,
  failed: j.stats.unexpected + j.stats.flaky,
}));
console.log(`\nvitest: ${vitest.passed} passed, ${vitest.failed} failed`);
console.log(`playwright: ${browser.passed} passed, ${browser.failed} failed`);
console.log(`total: ${vitest.passed + browser.passed} passed, ${vitest.failed + browser.failed} failed`);
