import { getDb } from "@/db/client";
import { createInvite, listLiveInvites } from "@/db/queries/invites";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, readJson } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";
import { consumeRateLimit } from "@/lib/rate-limits";
import { createInviteInput } from "@/model/schemas";

/** The desk's live invite links (without their secrets). */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "member:manage" });
  const invites = await listLiveInvites(db, { teamId: team.id });
  return json({
    invites: invites.map((i) => ({ id: i.id, role: i.role, expiresAt: i.expiresAt, acceptedCount: i.acceptedCount, createdAt: i.createdAt })),
  });
});

/** Creates an invite link carrying a role; the link is shown once. */
export const POST = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "member:manage" });
  const input = await readJson(req, createInviteInput);
  await consumeRateLimit("invitesPerUser", user.id);
  await consumeRateLimit("invitesPerDesk", team.id);
  const { invite, token } = await createInvite(db, { teamId: team.id, role: input.role, expiresInDays: input.expiresInDays, createdBy: user.id });
  const url = new URL(`/invite/${token}`, req.nextUrl.origin).toString();
  return json({ invite: { id: invite.id, role: invite.role, expiresAt: invite.expiresAt, token, url } }, { status: 201 });
});
