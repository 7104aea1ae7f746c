import type { JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { findLiveApiToken, touchApiToken } from "@/db/queries/api-tokens";
import { findUserById } from "@/db/queries/users";
import type { ApiScope } from "@/model/permissions";
import type { User } from "@/db/schema";
import { AppError } from "../errors";
import { assertUnderRateLimit, clientAddress, consumeRateLimit } from "../rate-limits";
import { parseAuthorization } from "./bearer";
import { readSessionToken, type CookieSource } from "./session-cookie";

/**
 * The signed-in user behind a set of cookies and their decoded session token, or null. The session
 * token is next-auth's own JWT; the user must still exist and the token must carry the user's current
 * session version, so bumping that version signs a person out everywhere.
 */
export async function sessionFromCookies(source: CookieSource): Promise<{ user: User; token: JWT } | null> {
  const token = await readSessionToken(source);
  if (!token || typeof token.uid !== "string") return null;
  const user = await findUserById(getDb(), { id: token.uid });
  if (!user || user.sessionVersion !== token.sv) return null;
  return { user, token };
}

/** The signed-in user behind a set of cookies, or null (see sessionFromCookies). */
export async function userFromCookies(source: CookieSource): Promise<User | null> {
  return (await sessionFromCookies(source))?.user ?? null;
}

/**
 * Who made a request: a user, and for a request made with a personal API token, that token's id and
 * scopes (scopes null for a browser session, which carries every right of the user's role).
 */
export type Actor = User & { scopes: readonly ApiScope[] | null; tokenId?: string };

const TOKEN_REFUSALS = {
  unknown: "This API token is not valid.",
  expired: "This API token has expired. Create a new one on your account page.",
  revoked: "This API token has been revoked.",
} as const;

/**
 * The owner of a presented API token, with the token's scopes. Refused tokens are counted per client
 * address, and an address over its limit is refused before its token is even looked up; each live
 * token has a request budget of its own.
 */
async function actorFromApiToken(secret: string | null, address: string): Promise<Actor> {
  await assertUnderRateLimit("apiTokenFailuresPerAddress", address);
  const db = getDb();
  const found = secret === null ? ({ status: "malformed" } as const) : await findLiveApiToken(db, { secret });
  if (found.status !== "live") {
    await consumeRateLimit("apiTokenFailuresPerAddress", address);
    const message = found.status === "malformed" ? "Send the API token as `Authorization: Bearer <token>`." : TOKEN_REFUSALS[found.status];
    throw new AppError("unauthorized", message);
  }
  await consumeRateLimit("apiTokenRequests", found.token.id);
  await touchApiToken(db, { token: found.token });
  return { ...found.user, scopes: found.token.scopes, tokenId: found.token.id };
}

/**
 * The user behind an API request: an `Authorization: Bearer` API token when the request carries one
 * (never falling back to the cookie: a refused token is a 401), otherwise the browser session.
 */
export async function requireUser(req: NextRequest): Promise<Actor> {
  const authorization = parseAuthorization(req.headers.get("authorization"));
  if (authorization.kind !== "none") {
    return actorFromApiToken(authorization.kind === "bearer" ? authorization.secret : null, clientAddress(req.headers));
  }
  const user = await userFromCookies(req.cookies);
  if (!user) throw new AppError("unauthorized", "Sign in first.");
  return { ...user, scopes: null };
}

/**
 * The browser session behind a request (its user and decoded token), for what only a person at a
 * browser may do: manage API tokens, change the password, sign out everywhere, create or join a desk.
 * A request carrying an API token is refused with 403.
 */
export async function requireSession(req: NextRequest): Promise<{ user: Actor; token: JWT }> {
  if (req.headers.get("authorization") !== null) {
    throw new AppError("forbidden", "API tokens cannot do this; use a browser session.");
  }
  const session = await sessionFromCookies(req.cookies);
  if (!session) throw new AppError("unauthorized", "Sign in first.");
  return { user: { ...session.user, scopes: null }, token: session.token };
}

/** The user of a browser session (see requireSession); API tokens are refused with 403. */
export async function requireSessionUser(req: NextRequest): Promise<Actor> {
  return (await requireSession(req)).user;
}

/** The signed-in user of the page being rendered, or null. Pages are only ever seen through a browser session. */
export async function currentUser(): Promise<Actor | null> {
  const user = await userFromCookies(await cookies());
  return user ? { ...user, scopes: null } : null;
}
