import { getDb } from "@/db/client";
import { findLiveInvite } from "@/db/queries/invites";
import { AppError } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http";

/** What an invite link offers: the desk's name and the role. Only the link's holder can ask. */
export const GET = apiRoute<{ token: string }>(async (_req, ctx) => {
  const live = await findLiveInvite(getDb(), { token: (await ctx.params).token });
  if (!live) throw new AppError("not_found", "This invite link is invalid or has expired.");
  return json({ invite: { team: { name: live.team.name, slug: live.team.slug }, role: live.invite.role, expiresAt: live.invite.expiresAt } });
});
