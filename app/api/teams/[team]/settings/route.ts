import { getDb } from "@/db/client";
import { updateTeamSettings } from "@/db/queries/teams";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, readJson } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";
import { readTeamSettings, teamSettingsInput } from "@/model/verdict-scale";

/** The desk's settings: its verdict scale (and, later, approval rules). */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const { team } = await requireTeamAccess(getDb(), { actor: user, teamSlug: (await ctx.params).team, action: "team:view" });
  return json({ settings: readTeamSettings(team.settings) });
});

/** Replaces the desk's settings (owners only). */
export const PUT = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "team:update" });
  const settings = await readJson(req, teamSettingsInput);
  await updateTeamSettings(db, { teamId: team.id, settings, actorId: user.id });
  return json({ settings });
});
