import { createServer } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { prepareRuntime } from "@/lib/runtime";

/**
 * One process: Next and (from the collaboration issue on) the collaboration server on one port.
 * The database is ready before the first request is accepted.
 */
async function main(): Promise<void> {
  const runtime = await prepareRuntime();
  const { PORT, HOST, NODE_ENV } = env();
  const app = next({ dev: NODE_ENV === "development", dir: process.cwd(), hostname: HOST ?? "localhost", port: PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgradeNext = app.getUpgradeHandler();

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("upgrade", (req, socket, head) => {
    void upgradeNext(req, socket, head);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "shutting down");
    server.close();
    server.closeAllConnections();
    await app.close();
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  server.listen(PORT, HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : PORT;
    logger().info({ port, database: runtime.embedded ? "embedded" : "postgres" }, `Factdesk is running on http://localhost:${port}`);
  });
}

main().catch((error: unknown) => {
  logger().fatal({ err: error }, "Factdesk failed to start");
  process.exit(1);
});
