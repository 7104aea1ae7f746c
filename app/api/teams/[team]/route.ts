import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";

/** One desk, with the caller's role. */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const { team, role } = await requireTeamAccess(getDb(), { actor: user, teamSlug: (await ctx.params).team, action: "team:view" });
  return json({ team: { id: team.id, slug: team.slug, name: team.name, role } });
});
