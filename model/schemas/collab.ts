import { z } from "zod";
import { role } from "./team";

/** What a collaboration ticket says: who, on which article, with which role. */
export const ticketClaims = z.object({
  sub: z.uuid(),
  articleId: z.uuid(),
  role,
  name: z.string().max(200),
});
export type TicketClaims = z.infer<typeof ticketClaims>;

/** Response of POST /api/articles/:id/collab-ticket. */
export const collabTicketResponse = z.object({
  ticket: z.string(),
  url: z.string(),
  rooms: z.object({ body: z.string(), review: z.string(), summary: z.string() }),
  role,
  expiresAt: z.string(),
});
export type CollabTicketResponse = z.infer<typeof collabTicketResponse>;
