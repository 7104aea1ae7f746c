import { getDb } from "@/db/client";
import { acceptGuestInvite } from "@/db/queries/guests";
import { requireSessionUser } from "@/lib/auth/session";
import { apiRoute, json } from "@/lib/http";
import type { AcceptedGuestInvite } from "@/model/schemas";

/** Makes the signed-in user a guest of the link's article (a member of its desk is just sent there). */
export const POST = apiRoute<{ token: string }>(async (req, ctx) => {
  const user = await requireSessionUser(req);
  const { article, team, role, guest } = await acceptGuestInvite(getDb(), { token: (await ctx.params).token, userId: user.id });
  const body: AcceptedGuestInvite = {
    article: { id: article.id, title: article.title, teamSlug: team.slug, path: `/desks/${team.slug}/articles/${article.id}` },
    guest,
    role,
  };
  return json(body);
});
