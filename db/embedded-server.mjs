// Runs PGlite and its socket server in a child process of the app, so that neither its SQL nor its
// garbage collection and WebAssembly compilation share a process with the event loop that relays
// edits. Plain JavaScript, so it starts the same under tsx, vitest and plain Node, without a loader.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

if (!process.send) throw new Error("db/embedded-server.mjs is started by db/embedded.ts (it needs an IPC channel)");

// Writes are behind by design (a 250 ms window), relaying is not: on Linux the thread that runs
// PGlite gets a lower scheduling priority (nice 10), so that when cores are scarce the relay and the
// clients go first. Elsewhere, or without /proc, it keeps the default.
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(threadId)) setPriority(threadId, 10);
} catch {
  // Not Linux, or not allowed: the default priority.
}

const dataDir = process.env.FACTDESK_EMBEDDED_DATA_DIR || undefined;
const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
const server = new PGLiteSocketServer({ db: pg, host: "127.0.0.1", port: 0, maxConnections: 64 });
await server.start();

let stopping;
/** Closes the socket server and PGlite (which writes its data folder out), then leaves. */
function stop() {
  stopping ??= (async () => {
    await server.stop();
    await pg.close();
  })()
    .catch((error) => console.error("the embedded database did not stop cleanly", error))
    .finally(() => process.exit(0));
  return stopping;
}

process.on("message", (message) => {
  if (message === "stop") void stop();
});
// The app went away, even by SIGKILL: its IPC channel closes, and the data folder must not keep an
// owner that nobody talks to.
process.on("disconnect", () => void stop());
// Ctrl+C in a terminal (and a service manager's stop) signals every process of the app at once. The
// app still has the update log to write when it hears it, so it is the app that stops this process,
// after its last write.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => {});
process.send({ type: "ready", port: Number(server.getServerConn().split(":").pop()) });
