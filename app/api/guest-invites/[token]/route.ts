import { getDb } from "@/db/client";
import { findLiveGuestInvite } from "@/db/queries/guests";
import { AppError } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http";
import type { GuestRole } from "@/model/permissions";
import type { GuestInvitePreview } from "@/model/schemas";

/** What a guest link offers: the desk's name, the article's title, the role and how long. Only the link's holder can ask. */
export const GET = apiRoute<{ token: string }>(async (_req, ctx) => {
  const live = await findLiveGuestInvite(getDb(), { token: (await ctx.params).token });
  if (!live) throw new AppError("not_found", "This guest link is invalid, has expired or was already used.");
  const body: GuestInvitePreview = {
    invite: {
      team: { name: live.team.name },
      article: { title: live.article.title },
      role: live.invite.role as GuestRole,
      expiresAt: live.invite.expiresAt.toISOString(),
      accessExpiresAt: live.invite.accessExpiresAt.toISOString(),
    },
  };
  return json(body);
});
