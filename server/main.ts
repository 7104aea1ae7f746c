import { logger } from "@/lib/logger";
import { startAppServer } from "./app-server";

// `npm start`: one process serving everything, stopped cleanly on SIGTERM or Ctrl-C.
try {
  const app = await startAppServer();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "shutting down");
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger().error({ err: error }, "unclean shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (error) {
  logger().fatal({ err: error }, "Factdesk failed to start");
  process.exit(1);
}
