import { jwtVerify, SignJWT } from "jose";
import { ticketClaims, type TicketClaims } from "@/model/schemas";
import { authSecret } from "./env";

/** How long a collaboration ticket is valid. The client fetches a new one before every reconnect. */
export const TICKET_TTL_SECONDS = 60;
const AUDIENCE = "factdesk-collab";

function key(): Uint8Array {
  return new TextEncoder().encode(authSecret());
}

/**
 * Signs a short-lived ticket (HS256 JWT) for one user, one article and one role; with the session
 * version it was minted under (browser sessions) and whether it may only read (API tokens without
 * the write scope).
 */
export async function mintTicket(claims: TicketClaims): Promise<{ ticket: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + TICKET_TTL_SECONDS * 1000);
  const payload = {
    articleId: claims.articleId,
    role: claims.role,
    name: claims.name,
    ...(claims.sv === undefined ? {} : { sv: claims.sv }),
    ...(claims.readOnly ? { readOnly: true } : {}),
    ...(claims.tid === undefined ? {} : { tid: claims.tid }),
  };
  const ticket = await new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
  return { ticket, expiresAt };
}

/** Verifies a ticket's signature, audience and expiry; returns its claims or undefined. */
export async function verifyTicket(ticket: string): Promise<TicketClaims | undefined> {
  try {
    const { payload } = await jwtVerify(ticket, key(), { audience: AUDIENCE, algorithms: ["HS256"] });
    const parsed = ticketClaims.safeParse(payload);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
