import type { Database } from "@/db/client";
import { getRoles } from "@/db/queries/members";
import { logger } from "@/lib/logger";
import { CLOSE_CODES } from "@/model/close-codes";
import type { Connection } from "./connection";
import type { RoomRegistry } from "./room-registry";

/** How often open connections are checked against the memberships in the database. */
export const DEFAULT_ACCESS_CHECK_MS = 2_000;

/**
 * Closes connections whose user has been removed from the desk (forbidden: do not retry) or whose
 * role has changed (reconnect with a fresh ticket and the new rights). Polling the database works
 * the same for one process or several; a Redis relay can push revocations sooner later.
 */
export function watchAccess(db: Database, registry: RoomRegistry, intervalMs = DEFAULT_ACCESS_CHECK_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    checkAll(db, registry)
      .catch((error: unknown) => logger().warn({ err: error }, "access check failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function checkAll(db: Database, registry: RoomRegistry): Promise<void> {
  const byTeam = new Map<string, Connection[]>();
  for (const room of await registry.loaded()) {
    for (const peer of room.peers) {
      const list = byTeam.get(room.teamId) ?? [];
      list.push(peer as Connection);
      byTeam.set(room.teamId, list);
    }
  }
  for (const [teamId, connections] of byTeam) {
    const roles = await getRoles(db, { teamId, userIds: [...new Set(connections.map((c) => c.userId))] });
    for (const connection of connections) {
      const role = roles.get(connection.userId);
      if (!role) connection.close(CLOSE_CODES.forbidden, "access revoked");
      else if (role !== connection.identity.role) connection.close(CLOSE_CODES.accessChanged, "role changed");
    }
  }
}
