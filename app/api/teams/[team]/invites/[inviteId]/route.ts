import { getDb } from "@/db/client";
import { revokeInvite } from "@/db/queries/invites";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, parseId } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";

/** Revokes an invite link. */
export const DELETE = apiRoute<{ team: string; inviteId: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: params.team, action: "member:manage" });
  await revokeInvite(db, { teamId: team.id, inviteId: parseId(params.inviteId, "invite") });
  return new Response(null, { status: 204 });
});
