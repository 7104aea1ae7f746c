import type { Database } from "@/db/client";
import { connectionKey, findConnectionAccess, type ConnectionAccess, type ConnectionPair } from "@/db/queries/connection-access";
import { logger } from "@/lib/logger";
import { onAccessChanged } from "@/lib/room-bus";
import { CLOSE_CODES } from "@/model/close-codes";
import type { Connection } from "./connection";
import type { Identity } from "./identity";
import type { RoomRegistry } from "./room-registry";

/** How often open connections are checked against the memberships and guest grants in the database. */
export const DEFAULT_ACCESS_CHECK_MS = 2_000;

/** What to do with a connection whose access was looked up: nothing, or close it with a code and a reason. */
export type AccessVerdict = { close: false } | { close: true; code: number; reason: string };

const KEEP: AccessVerdict = { close: false };

/**
 * Decides the fate of one connection from its verified identity and its access now. No access at all
 * (member removed, guest revoked or expired, article gone, the ticket's API token revoked or expired) is
 * final (forbidden: the browser stops and says so); a session signed out since the ticket was minted
 * closes as unauthorized (the browser's next ticket request tells it to sign in again); a different role, or a member who
 * became a guest or the reverse, only needs a fresh ticket (access changed: the browser reconnects).
 * The guest flag and the session version are compared only when the identity carries them.
 */
export function accessVerdict(identity: Pick<Identity, "role" | "guest" | "sessionVersion">, access: ConnectionAccess | undefined): AccessVerdict {
  if (!access?.role) return { close: true, code: CLOSE_CODES.forbidden, reason: "access revoked" };
  if (!access.tokenLive) return { close: true, code: CLOSE_CODES.forbidden, reason: "API token revoked or expired" };
  // Unauthorized, not forbidden: the browser asks for a fresh ticket, is refused (its session is over)
  // and tells the person to sign in again.
  if (identity.sessionVersion !== undefined && access.sessionVersion !== identity.sessionVersion) {
    return { close: true, code: CLOSE_CODES.unauthorized, reason: "signed out" };
  }
  if (access.role !== identity.role) return { close: true, code: CLOSE_CODES.accessChanged, reason: "role changed" };
  if (identity.guest !== undefined && identity.guest !== access.guest) return { close: true, code: CLOSE_CODES.accessChanged, reason: "access changed" };
  return KEEP;
}

/**
 * Closes connections whose user has lost access to the article, or whose access has changed, or who
 * has signed out everywhere. The poll works the same for one process or several; an announced change
 * (a role changed, a member removed, a guest revoked: in this process, or in another over Redis)
 * checks at once.
 */
export function watchAccess(db: Database, registry: RoomRegistry, intervalMs = DEFAULT_ACCESS_CHECK_MS): () => void {
  let running = false;
  // A change announced while a check runs may have come after that check read the database.
  let again = false;
  const check = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    checkAccess(db, registry)
      .catch((error: unknown) => logger().warn({ err: error }, "access check failed"))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          check();
        }
      });
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  const stopListening = onAccessChanged(check);
  return () => {
    clearInterval(timer);
    stopListening();
  };
}

/** A connection that an access check closed. */
export interface ClosedConnection {
  articleId: string;
  userId: string;
  code: number;
  reason: string;
}

/**
 * Checks every open connection of this process once, with one query whatever the number of desks and
 * articles, and closes those the verdict says to; returns what it closed.
 */
export async function checkAccess(db: Database, registry: RoomRegistry): Promise<ClosedConnection[]> {
  const open: { connection: Connection; pair: ConnectionPair }[] = [];
  for (const room of registry.loadedNow()) {
    for (const peer of room.peers) {
      const connection = peer as Connection;
      open.push({ connection, pair: { articleId: room.ref.articleId, userId: connection.userId, tokenId: connection.identity.tokenId } });
    }
  }
  if (!open.length) return [];
  const pairs = new Map(open.map(({ pair }) => [connectionKey(pair), pair]));
  const access = await findConnectionAccess(db, { pairs: [...pairs.values()] });
  const closed: ClosedConnection[] = [];
  for (const { connection, pair } of open) {
    const verdict = accessVerdict(connection.identity, access.get(connectionKey(pair)));
    if (!verdict.close) continue;
    connection.close(verdict.code, verdict.reason);
    closed.push({ ...pair, code: verdict.code, reason: verdict.reason });
  }
  return closed;
}
