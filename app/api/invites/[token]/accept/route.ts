import { getDb } from "@/db/client";
import { acceptInvite } from "@/db/queries/invites";
import { requireSessionUser } from "@/lib/auth/session";
import { apiRoute, json } from "@/lib/http";

/** Joins the signed-in user to the invite's desk. Browser sessions only: API tokens act on existing desks. */
export const POST = apiRoute<{ token: string }>(async (req, ctx) => {
  const user = await requireSessionUser(req);
  const { team, role } = await acceptInvite(getDb(), { token: (await ctx.params).token, userId: user.id });
  return json({ team: { id: team.id, slug: team.slug, name: team.name, role } });
});
