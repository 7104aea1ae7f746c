import { createServer, type ServerResponse } from "node:http";
import { GET as healthCheck } from "@/app/api/health/route";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { redisSettings } from "@/lib/redis";
import { prepareRuntime } from "@/lib/runtime";
import { COLLAB_PATH } from "@/model/rooms";
import { createCollabServer } from "./collab/collab-server";

// `npm run start:collab`: the collaboration server alone, against the same database as the app, so
// that it can run as several processes. It listens on COLLAB_PORT (default 3001) and answers
// GET /health (and /api/health) exactly as the app's /api/health does.

/** Sends the app's own health answer, so that both entry points report the same JSON and status. */
async function answerHealth(res: ServerResponse): Promise<void> {
  const answer = await healthCheck();
  res.writeHead(answer.status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(await answer.text());
}

/**
 * For `npm run soak` only (FACTDESK_MEMORY_PROBE=1, started by fork() with an IPC channel and
 * --expose-gc): answers "memory" messages with this process's memory after full collections, so a
 * harness can watch for leaks. Over IPC, not HTTP, so nothing on the network can force collections.
 */
function answerMemoryProbes(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (process.env.FACTDESK_MEMORY_PROBE !== "1" || !process.send || !gc) return;
  process.on("message", (message: unknown) => {
    if (message !== "memory") return;
    gc();
    gc();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    process.send?.({ type: "memory", rss, heapUsed, heapTotal, external, arrayBuffers });
  });
}

try {
  // Scale-out shares rooms through PostgreSQL as well as Redis: refuse before opening an embedded database.
  if (redisSettings() && (!env().DATABASE_URL || process.env.FACTDESK_EMBEDDED_DB === "1")) {
    throw new Error("REDIS_URL (several collaboration servers) needs PostgreSQL: set DATABASE_URL. The embedded database serves one process only.");
  }
  const runtime = await prepareRuntime({ seedEmbedded: false });
  const collab = createCollabServer({ db: getDb() });
  const server = createServer((req, res) => {
    if (req.method === "GET" && (req.url === "/health" || req.url === "/api/health")) {
      answerHealth(res).catch((error: unknown) => {
        logger().error({ err: error }, "health check failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal", message: "The health check failed." } }));
      });
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "not_found", message: "Only websocket upgrades on /collab are served here." } }));
  });
  answerMemoryProbes();
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith(`${COLLAB_PATH}/`)) collab.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  const port = Number(process.env.COLLAB_PORT ?? 3001);
  server.listen(port, env().HOST, () => {
    const address = server.address();
    logger().info({ port: typeof address === "object" && address ? address.port : port }, "collaboration server is running");
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "collaboration server shutting down");
    collab
      .close()
      .then(() => new Promise<void>((resolve) => server.close(() => resolve())))
      .then(() => runtime.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger().error({ err: error }, "unclean shutdown");
          process.exit(1);
        },
      );
    server.closeAllConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (error) {
  logger().fatal({ err: error }, "the collaboration server failed to start");
  process.exit(1);
}
