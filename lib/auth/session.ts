import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { findUserById } from "@/db/queries/users";
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

/** The signed-in user of an API request; throws 401 when there is none. */
export async function requireUser(req: NextRequest): Promise<User> {
  const user = await userFromCookies(req.cookies);
  if (!user) throw new AppError("unauthorized", "Sign in first.");
  return user;
}

/** The signed-in user of the page being rendered, or null. */
export async function currentUser(): Promise<User | null> {
  return userFromCookies(await cookies());
}
