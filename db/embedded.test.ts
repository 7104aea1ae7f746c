import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";
import { processRunning } from "../tests/support/processes";
import { startEmbeddedPostgres } from "./embedded";

const root = path.resolve(import.meta.dirname, "..");

describe("the embedded database process", () => {
  it("answers queries, outlives a Ctrl+C meant for the whole app, and stops when the app says so", async () => {
    const embedded = await startEmbeddedPostgres();
    const pid = embedded.pid!;
    expect(pid).not.toBe(process.pid);
    const sql = postgres(embedded.url, { max: 1, prepare: false, onnotice: () => {} });
    try {
      expect((await sql`select 40 + 2 as answer`)[0]).toEqual({ answer: 42 });
      // A terminal's Ctrl+C signals every process of the app; the app still has its log to write.
      process.kill(pid, "SIGINT");
      process.kill(pid, "SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await sql`select 1 as still`)[0]).toEqual({ still: 1 });
    } finally {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    }
    await vi.waitFor(() => expect(processRunning(pid)).toBe(false), { timeout: 5_000, interval: 50 });
  }, 60_000);

  it("stops when the app is killed outright, so the data folder keeps no owner", async () => {
    // The app: a process that starts the embedded database, prints its pid and waits.
    const app = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", `const { startEmbeddedPostgres } = await import("./db/embedded.ts"); const e = await startEmbeddedPostgres(); console.log("pid " + e.pid); setInterval(() => {}, 1000);`],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      let output = "";
      app.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      await vi.waitFor(() => expect(output).toMatch(/pid \d+/), { timeout: 30_000, interval: 50 });
      const pid = Number(/pid (\d+)/.exec(output)![1]);
      expect(processRunning(pid)).toBe(true);
      app.kill("SIGKILL");
      await once(app, "exit");
      await vi.waitFor(() => expect(processRunning(pid)).toBe(false), { timeout: 10_000, interval: 50 });
    } finally {
      if (app.exitCode === null && app.signalCode === null) app.kill("SIGKILL");
    }
  }, 60_000);
});
