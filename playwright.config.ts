import { defineConfig } from "@playwright/test";

// One project per database: the embedded one always, real PostgreSQL when TEST_DATABASE_URL is set.
// Each project gets its own server on its own fresh database (e2e/support/serve.ts).
const kinds = ["embedded", ...(process.env.TEST_DATABASE_URL ? ["postgres"] : [])] as const;
const basePort = Number(process.env.E2E_PORT ?? 3310);
const port = (i: number) => basePort + i;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }], ...(process.env.CI ? [] : [["html", { open: "never", outputFolder: "reports/playwright-html" }] as const])],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium; a Playwright-downloaded browser cannot be fetched on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: kinds.map((kind, i) => ({ name: kind, use: { baseURL: `http://127.0.0.1:${port(i)}` } })),
  webServer: kinds.map((kind, i) => ({
    command: "node --import tsx e2e/support/serve.ts",
    env: { E2E_DB: kind, PORT: String(port(i)), HOST: "127.0.0.1", NODE_ENV: "production" },
    url: `http://127.0.0.1:${port(i)}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  })),
});
