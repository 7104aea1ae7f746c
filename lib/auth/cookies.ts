import { env } from "../env";

/**
 * Whether next-auth's cookies are marked Secure (and get their `__Secure-`/`__Host-` names): exactly
 * when the app's public address is https. Sign-in (options.ts) and session reading (session.ts) must
 * agree on it, or a signed-in browser would present a cookie the server does not look for.
 */
export function secureCookies(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") ?? false;
}
