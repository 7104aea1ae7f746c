import type { Database } from "@/db/client";
import { connectionKey, findConnectionAccess, readAccessEpoch, type ConnectionAccess, type ConnectionPair } from "@/db/queries/connection-access";
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
export function accessVerdict(identity: Pick<Identity, "role" | "guest" | "sessionVersion">, access: Omit<ConnectionAccess, "endsAt"> | undefined): AccessVerdict {
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

/** What the last check of every open connection found: the epoch it read, who passed, and when some of that access ends. */
interface AccessSeen {
  epoch: string | null;
  passed: WeakSet<Connection>;
  /** The earliest time (ms since 1970) at which some access that passed ends by itself. */
  endsAt: number;
}

/**
 * Closes connections whose user has lost access to the article, or whose access has changed, or who
 * has signed out everywhere. Each poll reads one number, the access epoch, which the database changes
 * with every change to memberships, guest grants, tokens and sessions (in any process). Only when it
 * moved, or when some access ends by time, is every open connection checked again; otherwise only the
 * connections opened since the last check are. An announced change (a role changed, a member
 * removed, a guest revoked: in this process, or in another over Redis) checks everyone at once.
 */
export function watchAccess(db: Database, registry: RoomRegistry, intervalMs = DEFAULT_ACCESS_CHECK_MS): () => void {
  let seen: AccessSeen = { epoch: null, passed: new WeakSet(), endsAt: Number.NEGATIVE_INFINITY };
  let running = false;
  // A change announced while a check runs may have come after that check read the database. (A timer
  // tick that finds a check running is simply skipped: the next one comes soon enough.)
  let again = false;

  const poll = async (everyone: boolean): Promise<void> => {
    const open = openConnections(registry);
    if (!open.length) return;
    let targets = open;
    if (!everyone && Date.now() < seen.endsAt) {
      const epoch = await readAccessEpoch(db);
      if (epoch !== null && epoch === seen.epoch) targets = open.filter((connection) => !seen.passed.has(connection));
    }
    if (!targets.length) return;
    const result = await checkConnections(db, targets);
    if (targets === open) {
      seen = { epoch: result.epoch, passed: new WeakSet(result.passed), endsAt: result.endsAt };
    } else {
      // Should the epoch have moved since `seen.epoch`, the next poll sees it and checks everyone again.
      for (const connection of result.passed) seen.passed.add(connection);
      seen.endsAt = Math.min(seen.endsAt, result.endsAt);
    }
  };

  const check = (everyone: boolean): void => {
    if (running) {
      again ||= everyone;
      return;
    }
    running = true;
    poll(everyone)
      .catch((error: unknown) => logger().warn({ err: error }, "access check failed"))
      .finally(() => {
        running = false;
        if (!again) return;
        again = false;
        check(true);
      });
  };
  const timer = setInterval(() => check(false), intervalMs);
  timer.unref();
  const stopListening = onAccessChanged(() => check(true));
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

function openConnections(registry: RoomRegistry): Connection[] {
  const open: Connection[] = [];
  for (const room of registry.loadedNow()) for (const peer of room.peers) open.push(peer as Connection);
  return open;
}

function pairOf(connection: Connection): ConnectionPair {
  return { articleId: connection.room.ref.articleId, userId: connection.userId, tokenId: connection.identity.tokenId };
}

/**
 * Checks `connections` with one query whatever the number of desks and articles, and closes those the
 * verdict says to. Returns what it closed, the connections that passed, the access epoch it read,
 * and the earliest time at which some access that passed ends by itself.
 */
async function checkConnections(
  db: Database,
  connections: Connection[],
): Promise<{ closed: ClosedConnection[]; passed: Connection[]; epoch: string | null; endsAt: number }> {
  const keyed = connections.map((connection) => {
    const pair = pairOf(connection);
    return { connection, pair, key: connectionKey(pair) };
  });
  const pairs = new Map(keyed.map(({ key, pair }) => [key, pair]));
  const { epoch, access } = await findConnectionAccess(db, { pairs: [...pairs.values()] });
  const closed: ClosedConnection[] = [];
  const passed: Connection[] = [];
  let endsAt = Number.POSITIVE_INFINITY;
  for (const { connection, pair, key } of keyed) {
    const found = access.get(key);
    const verdict = accessVerdict(connection.identity, found);
    if (!verdict.close) {
      passed.push(connection);
      if (found?.endsAt != null) endsAt = Math.min(endsAt, found.endsAt);
      continue;
    }
    connection.close(verdict.code, verdict.reason);
    closed.push({ ...pair, code: verdict.code, reason: verdict.reason });
  }
  return { closed, passed, epoch, endsAt };
}

/** Checks every open connection of this process once, and closes those the verdict says to; returns what it closed. */
export async function checkAccess(db: Database, registry: RoomRegistry): Promise<ClosedConnection[]> {
  const open = openConnections(registry);
  return open.length ? (await checkConnections(db, open)).closed : [];
}
