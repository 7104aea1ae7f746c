import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { ApiScope } from "@/model/permissions";
import { API_TOKEN_SECRET_PREFIX } from "@/model/schemas/account";
import type { Database, DbOrTx } from "../client";
import { apiTokens, users, type ApiToken, type User } from "../schema";
import { recordAudit } from "./audit";

/** How many characters of the secret are kept in clear, to tell tokens apart in a list: `fdt_` and 8 more. */
export const API_TOKEN_PREFIX_CHARS = API_TOKEN_SECRET_PREFIX.length + 8;

/** How stale `lastUsedAt` may get: a token in steady use is written at most once per this interval. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** The stored form of a secret: SHA-256 is enough for 256 random bits, and lets a lookup use the index. */
export function hashApiTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

/** A token row as anyone but the lookup may see it: without its hash. */
export type ApiTokenRow = Omit<ApiToken, "tokenHash">;

const rowColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};

/**
 * Creates a personal API token. Returns the row and the secret (`fdt_` + 32 random bytes); the secret
 * is never stored or shown again, only its hash is kept.
 */
export async function createApiToken(
  db: Database,
  params: { userId: string; name: string; scopes: ApiScope[]; expiresAt: Date },
): Promise<{ token: ApiTokenRow; secret: string }> {
  const secret = `${API_TOKEN_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({
        userId: params.userId,
        name: params.name,
        prefix: secret.slice(0, API_TOKEN_PREFIX_CHARS),
        tokenHash: hashApiTokenSecret(secret),
        scopes: params.scopes,
        expiresAt: params.expiresAt,
      })
      .returning(rowColumns);
    if (!token) throw new AppError("internal", "The token could not be created.");
    await recordAudit(tx, {
      teamId: null,
      actorId: params.userId,
      action: "auth.token_create",
      targetType: "api_token",
      targetId: token.id,
      data: { name: token.name, scopes: token.scopes, expiresAt: token.expiresAt.toISOString() },
    });
    return { token, secret };
  });
}

/** A person's tokens that are not revoked (expired ones included, so they can see why one stopped), newest first. */
export async function listApiTokens(db: DbOrTx, params: { userId: string }): Promise<ApiTokenRow[]> {
  return db
    .select(rowColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, params.userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes one of a person's tokens at once; someone else's or an already revoked token is not found. */
export async function revokeApiToken(db: Database, params: { userId: string; id: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, params.id), eq(apiTokens.userId, params.userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!revoked) throw new AppError("not_found", "No such API token.");
    await recordAudit(tx, {
      teamId: null,
      actorId: params.userId,
      action: "auth.token_revoke",
      targetType: "api_token",
      targetId: revoked.id,
      data: { name: revoked.name },
    });
  });
}

/** What a presented secret turned out to be: a live token and its owner, or why it is refused. */
export type ApiTokenLookup = { status: "live"; token: ApiTokenRow; user: User } | { status: "unknown" | "expired" | "revoked" };

/**
 * Looks a presented secret up by its hash. Only a live token (not revoked, not expired) comes back
 * with its owner; otherwise the reason, which only the secret's holder learns.
 */
export async function findLiveApiToken(db: DbOrTx, params: { secret: string; now?: Date }): Promise<ApiTokenLookup> {
  if (!params.secret.startsWith(API_TOKEN_SECRET_PREFIX)) return { status: "unknown" };
  const [row] = await db
    .select({ token: rowColumns, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashApiTokenSecret(params.secret)));
  if (!row) return { status: "unknown" };
  if (row.token.revokedAt) return { status: "revoked" };
  if (row.token.expiresAt.getTime() <= (params.now ?? new Date()).getTime()) return { status: "expired" };
  return { status: "live", token: row.token, user: row.user };
}

/**
 * Records that a token was just used, at most once per LAST_USED_RESOLUTION_MS: a token read a moment
 * ago is not written again, so steady API use stays a read. The WHERE repeats the check so that
 * concurrent requests write once.
 */
export async function touchApiToken(db: DbOrTx, params: { token: Pick<ApiTokenRow, "id" | "lastUsedAt">; now?: Date }): Promise<void> {
  const now = params.now ?? new Date();
  const last = params.token.lastUsedAt;
  if (last && now.getTime() - last.getTime() < LAST_USED_RESOLUTION_MS) return;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, params.token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore))));
}
