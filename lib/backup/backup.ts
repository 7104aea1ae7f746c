import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { dumpEmbedded, restoreEmbedded } from "./embedded";
import { dumpPostgres, restorePostgres } from "./postgres";

/** Where the backup goes to or comes from: the real database, or the embedded one under DATA_DIR. */
export type BackupTarget = { kind: "postgres"; url: string } | { kind: "embedded"; dataDir: string };

const blank = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const envSchema = z.object({
  DATABASE_URL: blank.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATA_DIR: blank.transform((v) => v ?? "./data"),
});

/**
 * Which database `npm run backup`/`restore` works on, from the environment as the app reads it:
 * DATABASE_URL means PostgreSQL, otherwise the embedded database under DATA_DIR.
 */
export function targetFromEnv(source: Record<string, string | undefined> = process.env): BackupTarget {
  const parsed = envSchema.parse({ DATABASE_URL: source.DATABASE_URL, DATA_DIR: source.DATA_DIR });
  return parsed.DATABASE_URL ? { kind: "postgres", url: parsed.DATABASE_URL } : { kind: "embedded", dataDir: parsed.DATA_DIR };
}

/** The file extension of each kind's dump: pg_dump's custom format, or PGlite's gzipped tarball. */
export function backupExtension(target: BackupTarget): string {
  return target.kind === "postgres" ? "dump" : "tar.gz";
}

/** `backups/factdesk-<UTC timestamp>.<ext>`, the default when no file is given. */
export function defaultBackupFile(target: BackupTarget, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[:]/g, "-");
  return path.join("backups", `factdesk-${stamp}.${backupExtension(target)}`);
}

/** Backs up `target` to `file` (its folder is created), and returns the absolute path written. */
export async function backupDatabase(target: BackupTarget, file: string): Promise<string> {
  const resolved = path.resolve(file);
  await mkdir(path.dirname(resolved), { recursive: true });
  if (target.kind === "postgres") await dumpPostgres(target.url, resolved);
  else await dumpEmbedded(target.dataDir, resolved);
  return resolved;
}

/** Reads a file's first bytes to tell a pg_dump custom file ("PGDMP") from a gzip tarball. */
async function sniffFormat(file: string): Promise<"pg_dump" | "gzip" | "unknown"> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.toString("latin1") === "PGDMP") return "pg_dump";
    if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
    return "unknown";
  } finally {
    await handle.close();
  }
}

/**
 * Restores `file` over `target`, replacing all of its data. Refuses a file of the other kind (a
 * pg_dump file for the embedded database, or the reverse) before touching anything.
 */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<string> {
  const resolved = path.resolve(file);
  let format: Awaited<ReturnType<typeof sniffFormat>>;
  try {
    format = await sniffFormat(resolved);
  } catch {
    throw new Error(`Cannot read the backup file ${resolved}.`);
  }
  const expected = target.kind === "postgres" ? "pg_dump" : "gzip";
  if (format !== expected) {
    const what = target.kind === "postgres" ? "a pg_dump custom-format file (.dump)" : "an embedded database dump (.tar.gz)";
    throw new Error(`${resolved} is not ${what}, which is what the ${target.kind === "postgres" ? "PostgreSQL" : "embedded"} database needs.`);
  }
  if (target.kind === "postgres") await restorePostgres(target.url, resolved);
  else await restoreEmbedded(target.dataDir, resolved);
  return resolved;
}

/** The arguments after `--`: backup takes an optional file, restore requires one. */
export const backupArgs = z.tuple([z.string().min(1)]).or(z.tuple([]));
export const restoreArgs = z.tuple([z.string().min(1, "give the backup file to restore")], {
  error: "usage: npm run restore -- <file>",
});

/** Describes a target for messages, without a password from the URL. */
export function describeTarget(target: BackupTarget): string {
  if (target.kind === "embedded") return `the embedded database in ${path.resolve(target.dataDir)}`;
  const url = new URL(target.url);
  return `PostgreSQL database ${url.pathname.slice(1) || "postgres"} on ${url.hostname}:${url.port || "5432"}`;
}
