import { createServer, type Server } from "node:http";
import next from "next";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { prepareRuntime } from "@/lib/runtime";

export interface AppServer {
  port: number;
  server: Server;
  /** Stops accepting requests, then closes Next and the database. */
  close: () => Promise<void>;
}

/**
 * Starts Next (and, from the collaboration issue on, the collaboration server) on one HTTP port.
 * The database is migrated before the first request is accepted.
 */
export async function startAppServer(options: { seedEmbedded?: boolean } = {}): Promise<AppServer> {
  const runtime = await prepareRuntime(options);
  const { PORT, HOST, NODE_ENV } = env();
  const app = next({ dev: NODE_ENV === "development", dir: process.cwd(), hostname: HOST ?? "localhost", port: PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgradeNext = app.getUpgradeHandler();

  const server = createServer((req, res) => void handle(req, res));
  server.on("upgrade", (req, socket, head) => void upgradeNext(req, socket, head));
  await new Promise<void>((resolve) => server.listen(PORT, HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : PORT;
  logger().info({ port, database: runtime.embedded ? "embedded" : "postgres" }, `Factdesk is running on http://localhost:${port}`);

  return {
    port,
    server,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
      await runtime.stop();
    },
  };
}
