import { encode, getToken, type JWT } from "next-auth/jwt";
import type { NextRequest, NextResponse } from "next/server";
import { authSecret } from "../env";
import { secureCookies } from "./cookies";

/** How long a browser session lasts (next-auth's JWT and its cookie). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Anything that lists a request's cookies: NextRequest's cookies, or next/headers' cookies(). */
export type CookieSource = { getAll(): { name: string; value: string }[] };

/**
 * The session cookie's name: next-auth's own, with the `__Secure-` prefix over https. options.ts
 * hands this very name and the options below to next-auth, so sign-in and a re-issued cookie agree.
 */
export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

/** The session cookie's attributes (as next-auth's defaults: HttpOnly, SameSite=Lax, whole site). */
export function sessionCookieOptions(): { httpOnly: true; sameSite: "lax"; path: string; secure: boolean } {
  return { httpOnly: true, sameSite: "lax", path: "/", secure: secureCookies() };
}

/** The decoded session token (next-auth's encrypted JWT) a set of cookies carries, or null. */
export async function readSessionToken(source: CookieSource): Promise<JWT | null> {
  return getToken({
    req: { cookies: source, headers: new Headers() } as unknown as NextRequest,
    secret: authSecret(),
    secureCookie: secureCookies(),
    cookieName: sessionCookieName(),
  });
}

// next-auth splits a token too large for one cookie into `<name>.0`, `<name>.1`, ...; a re-issued or
// cleared session must not leave such pieces behind.
function sessionCookieNames(req: NextRequest): string[] {
  const name = sessionCookieName();
  return req.cookies
    .getAll()
    .map((c) => c.name)
    .filter((n) => n === name || (n.startsWith(`${name}.`) && /^\d+$/.test(n.slice(name.length + 1))));
}

function expireCookie(res: NextResponse, name: string): void {
  res.cookies.set(name, "", { ...sessionCookieOptions(), maxAge: 0, expires: new Date(0) });
}

/**
 * Issues this browser a new session cookie carrying `sessionVersion`, keeping everything else the
 * current token says (user, name, provider claims). Used after a password change, which ends every
 * other session, so the browser that made the change stays signed in.
 */
export async function reissueSessionCookie(req: NextRequest, res: NextResponse, params: { token: JWT; sessionVersion: number }): Promise<void> {
  // iat, exp and jti belong to the old token; encode() sets fresh ones.
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = params.token;
  const value = await encode({ token: { ...claims, sv: params.sessionVersion }, secret: authSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
  const name = sessionCookieName();
  for (const old of sessionCookieNames(req)) if (old !== name) expireCookie(res, old);
  res.cookies.set(name, value, { ...sessionCookieOptions(), maxAge: SESSION_MAX_AGE_SECONDS, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
}

/** Removes this browser's session cookie (and any pieces of it). */
export function clearSessionCookie(req: NextRequest, res: NextResponse): void {
  const names = new Set([sessionCookieName(), ...sessionCookieNames(req)]);
  for (const name of names) expireCookie(res, name);
}
