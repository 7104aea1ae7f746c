import { getDb } from "@/db/client";
import { createTeam, listTeamsForUser } from "@/db/queries/teams";
import { requireSessionUser, requireUser } from "@/lib/auth/session";
import { apiRoute, json, readJson } from "@/lib/http";
import { createTeamInput } from "@/model/schemas";

/** The signed-in user's desks. */
export const GET = apiRoute(async (req) => {
  const user = await requireUser(req);
  const teams = await listTeamsForUser(getDb(), { userId: user.id });
  return json({ teams: teams.map(({ team, role }) => ({ id: team.id, slug: team.slug, name: team.name, role })) });
});

/** Creates a desk owned by the signed-in user. Browser sessions only: API tokens act on existing desks. */
export const POST = apiRoute(async (req) => {
  const user = await requireSessionUser(req);
  const input = await readJson(req, createTeamInput);
  const team = await createTeam(getDb(), { name: input.name, slug: input.slug, ownerId: user.id });
  return json({ team: { id: team.id, slug: team.slug, name: team.name, role: "owner" } }, { status: 201 });
});
