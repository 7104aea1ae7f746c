import { z } from "zod";
import { role } from "./team";

/** What a collaboration ticket says: who, on which article, with which role. */
export const ticketClaims = z.object({
  sub: z.uuid(),
  articleId: z.uuid(),
  role,
  name: z.string().max(200),
  /** The user's session version, when minted from a browser session: signing out everywhere ends the connection. */
  sv: z.number().int().nonnegative().optional(),
  /** Set when minted with an API token that lacks the write scope: the connection may only read. */
  readOnly: z.boolean().optional(),
  /** The API token it was minted with: revoking the token ends the connection. */
  tid: z.uuid().optional(),
});
export type TicketClaims = z.infer<typeof ticketClaims>;

/** Response of POST /api/articles/:id/collab-ticket. */
export const collabTicketResponse = z.object({
  ticket: z.string(),
  url: z.string(),
  rooms: z.object({ body: z.string(), review: z.string(), summary: z.string() }),
  role,
  /** True when the ticket may only read (an API token without the write scope). */
  readOnly: z.boolean(),
  expiresAt: z.string(),
});
export type CollabTicketResponse = z.infer<typeof collabTicketResponse>;
