import { spawn } from "node:child_process";

/** Runs a PostgreSQL client tool, failing with its stderr when it exits non-zero or cannot start. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error(`${command} was not found. Install the PostgreSQL client tools (the same major version as the server).`)
          : error,
      ),
    );
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim() || "no output"}`)),
    );
  });
}

/**
 * Dumps a PostgreSQL database with pg_dump in its custom format (compressed, restorable with
 * pg_restore). pg_dump reads one consistent snapshot, so a running app need not stop.
 */
export async function dumpPostgres(url: string, file: string): Promise<void> {
  await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${url}`]);
}

/**
 * Restores a pg_dump custom-format file over a PostgreSQL database: existing objects are dropped and
 * recreated (`--clean --if-exists`), in one transaction so that a failure leaves the database as it was.
 */
export async function restorePostgres(url: string, file: string): Promise<void> {
  await run("pg_restore", [
    "--clean",
    "--if-exists",
    "--no-owner",
    "--single-transaction",
    "--exit-on-error",
    `--dbname=${url}`,
    file,
  ]);
}
