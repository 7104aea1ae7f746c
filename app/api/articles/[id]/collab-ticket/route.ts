import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { consumeRateLimit } from "@/lib/rate-limits";
import { mintTicket } from "@/lib/tickets";
import { COLLAB_PATH, roomName } from "@/model/rooms";
import type { CollabTicketResponse } from "@/model/schemas";
import { scopeLadder } from "@/model/schemas/account";

/**
 * A short-lived ticket for the collaboration server, bound to the user, the article and the role.
 * The browser fetches a fresh one before every (re)connect. A browser session's ticket carries its
 * session version (signing out everywhere ends the connection); an API token without the write scope
 * gets a read-only ticket.
 */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const articleId = parseId((await ctx.params).id, "article");
  const { role } = await requireArticleAccess(getDb(), { actor: user, articleId, action: "article:view" });
  await consumeRateLimit("collabTicketsPerUser", user.id);
  const readOnly = user.scopes !== null && !scopeLadder(user.scopes).includes("write");
  const { ticket, expiresAt } = await mintTicket({
    sub: user.id,
    articleId,
    role,
    name: user.name,
    ...(user.scopes === null ? { sv: user.sessionVersion } : {}),
    ...(readOnly ? { readOnly } : {}),
    ...(user.tokenId === undefined ? {} : { tid: user.tokenId }),
  });
  const origin = req.nextUrl.origin.replace(/^http/, "ws");
  const body: CollabTicketResponse = {
    ticket,
    url: env().COLLAB_URL ?? `${origin}${COLLAB_PATH}`,
    rooms: { body: roomName(articleId, "body"), review: roomName(articleId, "review"), summary: roomName(articleId, "summary") },
    role,
    readOnly,
    expiresAt: expiresAt.toISOString(),
  };
  return json(body, { headers: { "cache-control": "no-store" } });
});
