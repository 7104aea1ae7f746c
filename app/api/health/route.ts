import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { componentHealth, componentsHealthy } from "@/lib/health";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

/** A health check must answer quickly even when the database hangs rather than refuses. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

async function checkDatabase(): Promise<{ reachable: true; latencyMs: number } | { reachable: false }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_CHECK_TIMEOUT_MS} ms`)), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([getDb().execute(sql`select 1`), timeout]);
    return { reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    logger().warn({ err: error }, "health check: database unreachable");
    return { reachable: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reports whether the database answers and what the process's components report about themselves
 * (lib/health.ts: e.g. the collaboration server's update log while it cannot write). "degraded"
 * answers 503, so that a load balancer stops sending new work to this process; `components` is
 * present once any component has reported.
 */
export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  const components = componentHealth();
  const healthy = database.reachable && componentsHealthy();
  const body = { status: healthy ? "ok" : "degraded", database, ...(Object.keys(components).length ? { components } : {}) };
  return Response.json(body, { status: healthy ? 200 : 503 });
}
