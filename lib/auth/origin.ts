import { env } from "../env";

/** Methods that change state, and so must not be triggered by another site riding on our cookie. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** next-auth's session cookie names (http and https, and the `.0`, `.1` chunks of a large token). */
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** The request facts the origin check needs; a NextRequest fits. */
export interface OriginCheckRequest {
  method: string;
  headers: Headers;
  cookies: { getAll(): { name: string }[] };
  nextUrl: { host: string };
}

/** Why a request was refused, or null when it may go on. */
export type OriginVerdict = null | "cross_origin" | "missing_origin";

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * The hosts this app answers as: the request's own Host (as Next saw it, or as the nearest proxy
 * passed it on) and NEXTAUTH_URL's. A browser cannot forge Host or add X-Forwarded-Host to a
 * cross-site request without a CORS preflight, which the app never grants.
 */
function ownHosts(req: OriginCheckRequest): Set<string> {
  const hosts = new Set<string>([req.nextUrl.host]);
  const host = req.headers.get("host");
  if (host) hosts.add(host);
  const forwarded = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(forwarded);
  const configured = env().NEXTAUTH_URL;
  const configuredHost = configured ? hostOf(configured) : null;
  if (configuredHost) hosts.add(configuredHost);
  return hosts;
}

/**
 * Cross-site request forgery guard for cookie-authenticated API calls. A state-changing request that
 * carries a session cookie must say it comes from this app: an `Origin` naming one of the app's own
 * hosts, or — where a browser left Origin out — `Sec-Fetch-Site: same-origin`. Browsers send Origin
 * on every cross-site POST and Sec-Fetch-Site on every request, so a request with neither is not a
 * browser's and cannot be a forgery riding on a visitor's cookie (scripts and API clients holding a
 * session, as Go's CrossOriginProtection also treats them). Requests without a session cookie
 * (sign-up, health) are not concerned.
 */
export function checkRequestOrigin(req: OriginCheckRequest): OriginVerdict {
  if (!STATE_CHANGING.has(req.method.toUpperCase())) return null;
  if (!req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name))) return null;
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site");
  if (!origin) return fetchSite === null || fetchSite === "same-origin" ? null : "missing_origin";
  // An opaque origin ("null", from sandboxed frames and some redirects) is never ours.
  const host = hostOf(origin);
  return host && ownHosts(req).has(host) ? null : "cross_origin";
}
