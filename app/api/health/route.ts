import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

/** Reports whether the database answers. */
export async function GET(): Promise<Response> {
  const started = performance.now();
  try {
    await getDb().execute(sql`select 1`);
    const latencyMs = Math.round(performance.now() - started);
    return Response.json({ status: "ok", database: { reachable: true, latencyMs } });
  } catch (error) {
    logger().warn({ err: error }, "health check: database unreachable");
    return Response.json({ status: "degraded", database: { reachable: false } }, { status: 503 });
  }
}
