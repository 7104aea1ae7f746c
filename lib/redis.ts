import { createClient } from "redis";
import { z } from "zod";
import { logger } from "./logger";

/**
 * Where the servers of one deployment meet in Redis. Setting REDIS_URL switches the collaboration
 * server to scale-out mode (server/collab/cluster.ts); without it nothing uses Redis.
 */
export interface RedisSettings {
  url: string;
  /** Put in front of every key and channel, so that deployments (and test runs) sharing one Redis stay apart. */
  keyPrefix: string;
}

const schema = z.object({
  REDIS_URL: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() ? v.trim() : undefined))
    .pipe(z.url({ protocol: /^rediss?$/, error: "REDIS_URL must be a redis:// or rediss:// URL" }).optional()),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, "REDIS_KEY_PREFIX may hold letters, digits and _ : . - (at most 64)")
    .default("factdesk:"),
});

/** The Redis settings from the environment, or undefined when REDIS_URL is not set (one process, no Redis). */
export function redisSettings(source: NodeJS.ProcessEnv = process.env): RedisSettings | undefined {
  const parsed = schema.parse({ REDIS_URL: source.REDIS_URL, REDIS_KEY_PREFIX: source.REDIS_KEY_PREFIX || undefined });
  return parsed.REDIS_URL ? { url: parsed.REDIS_URL, keyPrefix: parsed.REDIS_KEY_PREFIX } : undefined;
}

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
