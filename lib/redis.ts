import { z } from "zod";

/**
 * Where the servers of one deployment meet in Redis. Setting REDIS_URL switches the collaboration
 * server to scale-out mode (server/collab/cluster.ts); without it nothing uses Redis, and the Redis
 * client (lib/redis-client.ts) is never even loaded: it alone would add about a third to the
 * collaboration server's heap.
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
