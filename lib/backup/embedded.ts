import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import lockfile from "proper-lockfile";

/** The PGlite folder inside DATA_DIR, as db/embedded.ts opens it. */
export function embeddedPgDir(dataDir: string): string {
  return path.resolve(dataDir, "pg");
}

/**
 * Takes the same lock that a running app holds on the embedded folder (db/embedded.ts), so that a
 * backup or restore never reads or replaces files PGlite is writing. A running app makes this refuse
 * with a clear message rather than copy a half-written database.
 */
async function withFolderLock<T>(dataDir: string, action: "back up" | "restore", work: () => Promise<T>): Promise<T> {
  const pgDir = embeddedPgDir(dataDir);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(pgDir, { stale: 15_000, update: 5_000, lockfilePath: `${pgDir}.lock` });
  } catch {
    throw new Error(
      `The embedded database in ${dataDir} is open in a running Factdesk (or another tool). Stop it, then ${action} again.`,
    );
  }
  try {
    return await work();
  } finally {
    await release();
  }
}

/**
 * Writes PGlite's own dump of the embedded database (a gzipped tarball of its data folder) to `file`.
 * Refuses when the folder holds no database or is open in a running app.
 */
export async function dumpEmbedded(dataDir: string, file: string): Promise<void> {
  const pgDir = embeddedPgDir(dataDir);
  try {
    await access(path.join(pgDir, "PG_VERSION"));
  } catch {
    throw new Error(`There is no embedded database in ${dataDir} to back up.`);
  }
  await withFolderLock(dataDir, "back up", async () => {
    const pg = await PGlite.create(pgDir);
    try {
      const tarball = await pg.dumpDataDir("gzip");
      await writeFile(file, Buffer.from(await tarball.arrayBuffer()));
    } finally {
      await pg.close();
    }
  });
}

/**
 * Replaces the embedded database with a PGlite dump. The dump is loaded into a new sibling folder
 * first (PGlite's `loadDataDir`, which only loads into an empty folder) and checked with a query;
 * only then is it swapped in, so a bad file leaves the current database untouched.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<void> {
  const pgDir = embeddedPgDir(dataDir);
  const tarball = new Blob([await readFile(file)]);
  await mkdir(pgDir, { recursive: true });
  await withFolderLock(dataDir, "restore", async () => {
    const suffix = randomBytes(4).toString("hex");
    const incoming = `${pgDir}.restoring-${suffix}`;
    const previous = `${pgDir}.replaced-${suffix}`;
    try {
      const pg = await PGlite.create({ dataDir: incoming, loadDataDir: tarball });
      try {
        await pg.query("SELECT 1");
      } finally {
        await pg.close();
      }
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw new Error(`${file} is not a usable embedded database dump: ${(error as Error).message}`);
    }
    await rename(pgDir, previous);
    try {
      await rename(incoming, pgDir);
    } catch (error) {
      // Put the current database back rather than leave DATA_DIR without one.
      await rename(previous, pgDir);
      await rm(incoming, { recursive: true, force: true });
      throw error;
    }
    await rm(previous, { recursive: true, force: true });
  });
}
