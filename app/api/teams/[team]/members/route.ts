import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";

/** The desk's members and their roles. */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "member:view" });
  return json({ members: await listMembers(db, { teamId: team.id }) });
});
