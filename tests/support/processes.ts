import { readFileSync } from "node:fs";

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ) whatever the kernel's own tick. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The fields of `/proc/<pid>/stat` after the command name (which sits in parentheses and may hold
 * spaces): index 0 is the state, 11 and 12 are utime and stime. Undefined where it cannot be read.
 */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ");
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux), or undefined where that cannot be read. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  const fields = pid ? statFields(pid) : undefined;
  return fields && (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Whether a process runs: it exists, and is not a zombie nobody has reaped yet. */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return statFields(pid)?.[0] !== "Z";
}
