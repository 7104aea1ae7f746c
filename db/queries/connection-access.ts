import { sql } from "drizzle-orm";
import type { Role } from "@/model/roles";
import type { DbOrTx } from "../client";
import { apiTokens, articleGuests, articles, memberships, users } from "../schema";

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
}

/** The key of a pair in the map `findConnectionAccess` returns. */
export function connectionKey(pair: ConnectionPair): string {
  return `${pair.articleId}:${pair.userId}:${pair.tokenId ?? ""}`;
}

/**
 * The current access of every (article, user) pair in one statement: membership of the article's desk
 * or an unexpired guest grant for the article, and the user's session version. The pairs travel as two
 * arrays through `unnest`, so the statement's text is the same however many connections are open.
 */
export async function findConnectionAccess(db: DbOrTx, params: { pairs: ConnectionPair[] }): Promise<Map<string, ConnectionAccess>> {
  const result = new Map<string, ConnectionAccess>();
  if (!params.pairs.length) return result;
  // Rows come back by position (ordinality), not with the ids sent: a poll of every open connection
  // then parses no uuid strings, only the few short fields that say what each pair may do now.
  const rows = await db.execute<{
    ord: string;
    member_role: Role | null;
    guest_role: Role | null;
    session_version: number | null;
    token_live: boolean;
  }>(sql`
    select p.ord, m.role as member_role, g.role as guest_role, u.session_version,
      (p.token_id is null or t.id is not null) as token_live
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
    result.set(connectionKey(params.pairs[Number(row.ord) - 1]!), {
      role: row.member_role ?? row.guest_role,
      guest: !row.member_role && !!row.guest_role,
      sessionVersion: row.session_version === null ? null : Number(row.session_version),
      tokenLive: Boolean(row.token_live),
    });
  }
  return result;
}
