import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { getDb } from "@/db/client";
import { seedDemoDesk } from "@/db/seed/demo-desk";
import { startAppServer } from "@/server/app-server";

// Starts the built app for one Playwright project on a database of its own: a fresh embedded
// database in a temporary folder, or a fresh database on TEST_DATABASE_URL's server. Both are
// removed again when Playwright stops the server.
const kind = process.env.E2E_DB === "postgres" ? "postgres" : "embedded";
process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
process.env.LOG_LEVEL ??= "warn";
let cleanup: () => Promise<void>;

if (kind === "embedded") {
  const dir = await mkdtemp(path.join(tmpdir(), "factdesk-e2e-"));
  process.env.DATA_DIR = dir;
  delete process.env.DATABASE_URL;
  cleanup = () => rm(dir, { recursive: true, force: true });
} else {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("E2E_DB=postgres needs TEST_DATABASE_URL");
  const name = `factdesk_e2e_${randomBytes(6).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  cleanup = async () => {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.end();
  };
}

const app = await startAppServer();
if (kind === "postgres") await seedDemoDesk(getDb());

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => {});
  await cleanup();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
