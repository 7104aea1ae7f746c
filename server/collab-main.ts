import { createServer } from "node:http";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { prepareRuntime } from "@/lib/runtime";
import { COLLAB_PATH } from "@/model/rooms";
import { createCollabServer } from "./collab/collab-server";

// `npm run start:collab`: the collaboration server alone, against the same database as the app, so
// that it can run as several processes. It listens on COLLAB_PORT (default 3001).
try {
  const runtime = await prepareRuntime({ seedEmbedded: false });
  const collab = createCollabServer({ db: getDb() });
  const server = createServer((req, res) => {
    const ok = req.url === "/health" || req.url === "/api/health";
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { status: "ok" } : { error: { code: "not_found", message: "Only websocket upgrades on /collab are served here." } }));
  });
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
