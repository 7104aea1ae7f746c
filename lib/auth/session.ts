import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { findUserById } from "@/db/queries/users";
import type { ApiScope } from "@/model/permissions";
import type { User } from "@/db/schema";
import { authSecret } from "../env";
import { AppError } from "../errors";
import { secureCookies } from "./cookies";

type CookieSource = { getAll(): { name: string; value: string }[] };

/**
 * The signed-in user behind a set of cookies, or null. The session token is next-auth's own JWT; the
 * user must still exist and the token must carry the user's current session version, so bumping
 * that version signs a person out everywhere.
 */
export async function userFromCookies(source: CookieSource): Promise<User | null> {
  const token = await getToken({
    req: { cookies: source, headers: new Headers() } as unknown as NextRequest,
    secret: authSecret(),
    secureCookie: secureCookies(),
  });
  if (!token || typeof token.uid !== "string") return null;
  const user = await findUserById(getDb(), { id: token.uid });
  if (!user || user.sessionVersion !== token.sv) return null;
  return user;
}

/**
 * Who made a request: a user, and for a request made with a personal API token, that token's scopes
 * (null for a browser session, which carries every right of the user's role).
 */
export type Actor = User & { scopes: readonly ApiScope[] | null };

/** The user behind an API request (browser session or API token); throws 401 when there is none. */
export async function requireUser(req: NextRequest): Promise<Actor> {
  const user = await userFromCookies(req.cookies);
  if (!user) throw new AppError("unauthorized", "Sign in first.");
  return { ...user, scopes: null };
}

/** The signed-in user of the page being rendered, or null. Pages are only ever seen through a browser session. */
export async function currentUser(): Promise<Actor | null> {
  const user = await userFromCookies(await cookies());
  return user ? { ...user, scopes: null } : null;
}
