import { createClient } from "redis";
import { logger } from "./logger";
import type { RedisSettings } from "./redis";

/** Reconnect quickly at first, then every 2 s at most: an outage should end as soon as Redis is back. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * A Redis connection that keeps reconnecting on its own and refuses commands while it is down
 * (no offline queue): what could not be sent is caught up by the relay's resynchronisation, not
 * replayed late and out of order. Call `connect()` yourself; it resolves once Redis answers.
 */
export function createRedisClient(settings: RedisSettings, role: string) {
  const client = createClient({
    url: settings.url,
    name: `factdesk-${role}`,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  // Without a listener an error event would end the process; one line per outage is enough.
  let reported = false;
  client.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    logger().warn({ err: error, role }, "Redis connection lost; reconnecting");
  });
  client.on("ready", () => {
    if (reported) logger().info({ role }, "Redis connection is back");
    reported = false;
  });
  return client;
}

/** A connection made by createRedisClient. */
export type RedisClient = ReturnType<typeof createRedisClient>;
