import { createServer, type Server } from "node:http";
import next from "next";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { prepareRuntime } from "@/lib/runtime";
import { COLLAB_PATH } from "@/model/rooms";
import { createCollabServer, type CollabServer } from "./collab/collab-server";
import { handlePublicPage } from "./public-pages";

export interface AppServer {
  port: number;
  server: Server;
  collab: CollabServer;
  /** Stops accepting requests, then closes Next and the database. */
  close: () => Promise<void>;
}

/**
 * Starts Next and the collaboration server on one HTTP port: upgrades on /collab go to the
 * collaboration server, everything else to Next. The database is migrated before the port opens.
 */
export async function startAppServer(options: { seedEmbedded?: boolean } = {}): Promise<AppServer> {
  const runtime = await prepareRuntime(options);
  const { PORT, HOST, NODE_ENV } = env();
  const app = next({ dev: NODE_ENV === "development", dir: process.cwd(), hostname: HOST ?? "localhost", port: PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgradeNext = app.getUpgradeHandler();

  const collab = createCollabServer({ db: getDb() });

  const server = createServer((req, res) => {
    if (!handlePublicPage(req, res)) void handle(req, res);
  });
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith(`${COLLAB_PATH}/`)) collab.handleUpgrade(req, socket, head);
    else void upgradeNext(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(PORT, HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : PORT;
  logger().info({ port, database: runtime.embedded ? "embedded" : "postgres" }, `Factdesk is running on http://localhost:${port}`);

  return {
    port,
    server,
    collab,
    close: async () => {
      // Flush every room before the database goes away.
      await collab.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
      await runtime.stop();
    },
  };
}
