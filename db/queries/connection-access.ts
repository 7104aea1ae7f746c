import { sql } from "drizzle-orm";
import type { Role } from "@/model/roles";
import type { DbOrTx } from "../client";
import { accessEpoch, apiTokens, articleGuests, articles, memberships, users } from "../schema";

/** One open connection's user on one article, and the API token its ticket was minted with, if any. */
export interface ConnectionPair {
  articleId: string;
  userId: string;
  tokenId?: string;
}

/** What a user may do on an article right now, as the database says. */
export interface ConnectionAccess {
  /** The role through the desk's membership, else through an unexpired guest grant; null when neither exists. */
  role: Role | null;
  /** True when the role comes from a guest grant rather than a membership. */
  guest: boolean;
  /** The user's current session version; null when the account no longer exists. */
  sessionVersion: number | null;
  /** Whether the pair's API token is neither revoked nor expired (true when the pair has no token). */
  tokenLive: boolean;
  /** When this access ends by itself (the guest grant's or the API token's expiry, ms since 1970); null if never. */
  endsAt: number | null;
}

/** Every pair's access as one snapshot of the database saw it, with the access epoch of that snapshot. */
export interface AccessSnapshot {
  /** The access epoch the answers were read at (see readAccessEpoch); null if the database has none. */
  epoch: string | null;
  /** Each pair's access, keyed by connectionKey. */
  access: Map<string, ConnectionAccess>;
}

/**
 * The access epoch: a number the database changes, in the same commit, whenever memberships, guest
 * grants, API tokens, session versions or articles change (db/schema/access.ts). While it stays the
 * same, access read earlier is still what the database says, except where it ends by time (endsAt).
 */
export async function readAccessEpoch(db: DbOrTx): Promise<string | null> {
  const [row] = await db.select({ epoch: sql<string>`${accessEpoch.epoch}::text` }).from(accessEpoch);
  return row?.epoch ?? null;
}

/** The key of a pair in the map `findConnectionAccess` returns. */
export function connectionKey(pair: ConnectionPair): string {
  return `${pair.articleId}:${pair.userId}:${pair.tokenId ?? ""}`;
}

/**
 * The current access of every (article, user) pair in one statement: membership of the article's desk
 * or an unexpired guest grant for the article, and the user's session version, with the access epoch
 * of the same snapshot. The pairs travel as arrays through `unnest`, so the statement's text is the
 * same however many connections are open.
 */
export async function findConnectionAccess(db: DbOrTx, params: { pairs: ConnectionPair[] }): Promise<AccessSnapshot> {
  const access = new Map<string, ConnectionAccess>();
  if (!params.pairs.length) return { epoch: await readAccessEpoch(db), access };
  // Rows come back by position (ordinality), not with the ids sent: a poll of every open connection
  // then parses no uuid strings, only the few short fields that say what each pair may do now.
  const rows = await db.execute<{
    ord: string;
    member_role: Role | null;
    guest_role: Role | null;
    session_version: number | null;
    token_live: boolean;
    ends_at: number | null;
    epoch: string | null;
  }>(sql`
    select p.ord, m.role as member_role, g.role as guest_role, u.session_version,
      (p.token_id is null or t.id is not null) as token_live,
      -- least() skips nulls: the earlier of the guest grant's end (when the role comes from it) and the token's.
      (extract(epoch from least(case when m.role is null then g.expires_at end, t.expires_at)) * 1000)::float8 as ends_at,
      (select e.epoch::text from ${accessEpoch} e) as epoch
    from unnest(
      ${sql.param(params.pairs.map((p) => p.articleId))}::uuid[],
      ${sql.param(params.pairs.map((p) => p.userId))}::uuid[],
      ${sql.param(params.pairs.map((p) => p.tokenId ?? null))}::uuid[]
    ) with ordinality as p (article_id, user_id, token_id, ord)
    left join ${articles} a on a.id = p.article_id
    left join ${memberships} m on m.team_id = a.team_id and m.user_id = p.user_id
    left join ${articleGuests} g on g.article_id = p.article_id and g.user_id = p.user_id and g.team_id = a.team_id and g.expires_at > now()
    left join ${users} u on u.id = p.user_id
    left join ${apiTokens} t on t.id = p.token_id and t.user_id = p.user_id and t.revoked_at is null and t.expires_at > now()`);
  for (const row of rows) {
    access.set(connectionKey(params.pairs[Number(row.ord) - 1]!), {
      role: row.member_role ?? row.guest_role,
      guest: !row.member_role && !!row.guest_role,
      sessionVersion: row.session_version === null ? null : Number(row.session_version),
      tokenLive: Boolean(row.token_live),
      endsAt: row.ends_at === null ? null : Number(row.ends_at),
    });
  }
  return { epoch: rows[0]?.epoch ?? null, access };
}
