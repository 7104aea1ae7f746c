// Runs PGlite and its socket server on a worker thread, so that SQL never blocks the event loop that
// relays edits. Plain JavaScript, so it loads the same under tsx, vitest and plain Node.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// Writes are behind by design (a 250 ms window), relaying is not: on Linux this thread gets a lower
// scheduling priority (nice 10), so that when cores are scarce the relay and the clients go first.
// Elsewhere, or without /proc, it keeps the default.
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(threadId)) setPriority(threadId, 10);
} catch {
  // Not Linux, or not allowed: the default priority.
}

const pg = workerData?.dataDir ? await PGlite.create(workerData.dataDir) : await PGlite.create();
const server = new PGLiteSocketServer({ db: pg, host: "127.0.0.1", port: 0, maxConnections: 64 });
await server.start();
parentPort.postMessage({ type: "ready", port: Number(server.getServerConn().split(":").pop()) });

parentPort.on("message", async (message) => {
  if (message !== "stop") return;
  await server.stop();
  await pg.close();
  parentPort.postMessage({ type: "stopped" });
  parentPort.close();
});
