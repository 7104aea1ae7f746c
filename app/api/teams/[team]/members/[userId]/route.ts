import { getDb } from "@/db/client";
import { changeMemberRole, removeMember } from "@/db/queries/members";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readJson } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";
import { announceAccessChanged } from "@/lib/room-bus";
import { updateMemberInput } from "@/model/schemas";

type Params = { team: string; userId: string };

/** Changes a member's role (owners only; the last owner stays). */
export const PATCH = apiRoute<Params>(async (req, ctx) => {
  const actor = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor, teamSlug: params.team, action: "member:manage" });
  const input = await readJson(req, updateMemberInput);
  const userId = parseId(params.userId, "member");
  await changeMemberRole(db, { teamId: team.id, userId, role: input.role, actorId: actor.id });
  await announceAccessChanged({ teamId: team.id });
  return json({ member: { userId, role: input.role } });
});

/** Removes a member (owners only; the last owner stays). */
export const DELETE = apiRoute<Params>(async (req, ctx) => {
  const actor = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor, teamSlug: params.team, action: "member:manage" });
  await removeMember(db, { teamId: team.id, userId: parseId(params.userId, "member"), actorId: actor.id });
  await announceAccessChanged({ teamId: team.id });
  return new Response(null, { status: 204 });
});
