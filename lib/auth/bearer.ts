/** What a request's `Authorization` header holds, as far as the API is concerned. */
export type AuthorizationHeader = { kind: "none" } | { kind: "bearer"; secret: string } | { kind: "malformed" };

// RFC 6750's b64token: the characters a bearer credential may contain.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Reads an `Authorization` header. Any header at all means the caller chose token authentication, so
 * anything but a well-formed `Bearer <token>` is malformed (never a reason to fall back to a cookie).
 */
export function parseAuthorization(header: string | null): AuthorizationHeader {
  if (header === null) return { kind: "none" };
  const match = BEARER.exec(header.trim());
  return match ? { kind: "bearer", secret: match[1]! } : { kind: "malformed" };
}
