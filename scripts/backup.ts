import { backupArgs, backupDatabase, defaultBackupFile, describeTarget, targetFromEnv } from "@/lib/backup/backup";

// `npm run backup -- [file]`: dumps the database the app would use (DATABASE_URL, or the embedded one
// under DATA_DIR). The embedded database must not be open in a running app; see README.
try {
  const args = backupArgs.safeParse(process.argv.slice(2));
  if (!args.success) throw new Error("usage: npm run backup -- [file]");
  const target = targetFromEnv();
  const written = await backupDatabase(target, args.data[0] ?? defaultBackupFile(target));
  console.log(`Backed up ${describeTarget(target)} to ${written}.`);
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
