import { createClient } from "redis";

function oneShotClient(url: string) {
  return createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
}

type OneShotClient = ReturnType<typeof oneShotClient>;

/**
 * Runs `use` with a short-lived Redis connection that never reconnects, and closes it. For test and
 * benchmark housekeeping (checks, cleanup), not for the servers' own connections.
 */
export async function withRedis<T>(url: string, use: (client: OneShotClient) => Promise<T>): Promise<T> {
  const client = oneShotClient(url);
  client.on("error", () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** Deletes every key under `prefix` (the streams and leases servers leave behind). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  await withRedis(url, async (client) => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length) await client.del(keys);
  });
}
