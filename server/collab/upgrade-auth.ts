import type { IncomingMessage } from "node:http";
import type { Database } from "@/db/client";
import { findArticleForMember } from "@/db/queries/articles";
import type { RoomRef } from "@/db/queries/documents";
import { findSessionVersion } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { verifyTicket } from "@/lib/tickets";
import { colourFor } from "@/model/person-colour";
import { COLLAB_PATH, parseRoomName } from "@/model/rooms";
import type { Identity } from "./identity";
import type { Desk } from "./room-registry";

/**
 * Decides whether an upgrade request may open a room: a valid ticket for this very article, and a
 * membership that still exists. The role comes from the database, not from the ticket, so a role
 * changed since the ticket was minted counts at once. A ticket minted from a browser session carries
 * the session version, and one minted before the user signed out everywhere (or changed their
 * password) is refused; the connection keeps the version, so access-watch can end it later.
 */
export async function authorizeUpgrade(db: Database, req: IncomingMessage): Promise<{ ref: RoomRef; identity: Identity; desk: Desk }> {
  const url = new URL(req.url ?? "/", "http://collab.invalid");
  const room = url.pathname.startsWith(`${COLLAB_PATH}/`) ? parseRoomName(decodeURIComponent(url.pathname.slice(COLLAB_PATH.length + 1))) : undefined;
  if (!room) throw new AppError("not_found", "No such room.");
  const token = url.searchParams.get("ticket");
  if (!token) throw new AppError("unauthorized", "A collaboration ticket is required.");
  const claims = await verifyTicket(token);
  if (!claims) throw new AppError("unauthorized", "The collaboration ticket is invalid or has expired.");
  if (claims.articleId !== room.articleId) throw new AppError("forbidden", "This ticket is for another article.");
  const [access, sessionVersion] = await Promise.all([
    findArticleForMember(db, { articleId: room.articleId, userId: claims.sub }),
    claims.sv === undefined ? undefined : findSessionVersion(db, { userId: claims.sub }),
  ]);
  if (claims.sv !== undefined && sessionVersion !== claims.sv) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
  if (!access) throw new AppError("forbidden", "You are not a member of this article's desk.");
  return {
    ref: { articleId: room.articleId, room: room.kind },
    identity: {
      userId: claims.sub,
      name: claims.name,
      role: access.role,
      colour: colourFor(claims.sub),
      guest: access.guest,
      sessionVersion: claims.sv,
      readOnly: claims.readOnly,
      tokenId: claims.tid,
    },
    desk: { teamId: access.team.id, settings: access.team.settings },
  };
}
