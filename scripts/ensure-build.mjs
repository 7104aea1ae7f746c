// Builds the app when there is no production build, or when sources changed since the last one,
// so that `npm start` works on a fresh clone and after a pull.
import { execSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "model", "lib", "db", "next.config.ts", "package-lock.json", "tsconfig.json"];

function newest(entry) {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((max, name) => Math.max(max, newest(path.join(entry, name))), stat.mtimeMs);
}

let built = 0;
try {
  built = statSync(".next/BUILD_ID").mtimeMs;
} catch {
  // No build yet.
}
const changed = Math.max(...SOURCES.map(newest));
if (!built || changed > built) {
  console.log(built ? "Sources changed since the last build; rebuilding." : "No production build yet; building.");
  execSync("npx next build", { stdio: "inherit" });
}
