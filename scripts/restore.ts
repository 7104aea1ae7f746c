import { describeTarget, restoreArgs, restoreDatabase, targetFromEnv } from "@/lib/backup/backup";

// `npm run restore -- <file>`: replaces all data of the database the app would use with the backup.
// Never prompts, so it can run in scripts; stop the app first (see README).
try {
  const args = restoreArgs.safeParse(process.argv.slice(2));
  if (!args.success) throw new Error("usage: npm run restore -- <file>");
  const target = targetFromEnv();
  const file = await restoreDatabase(target, args.data[0]);
  console.log(`Restored ${describeTarget(target)} from ${file}.`);
} catch (error) {
  console.error(`Restore failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
