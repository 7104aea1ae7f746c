import { getDb } from "@/db/client";
import { createGuestInvite, listGuests } from "@/db/queries/guests";
import type { GuestInvite } from "@/db/schema";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readJson } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { consumeRateLimit } from "@/lib/rate-limits";
import type { GuestRole } from "@/model/permissions";
import { createGuestInviteInput, type CreatedGuestInvite, type GuestInviteView, type GuestList } from "@/model/schemas";

function inviteView(invite: GuestInvite): GuestInviteView {
  return {
    id: invite.id,
    role: invite.role as GuestRole,
    expiresAt: invite.expiresAt.toISOString(),
    accessExpiresAt: invite.accessExpiresAt.toISOString(),
    createdAt: invite.createdAt.toISOString(),
  };
}

/** The article's guests and its guest links nobody has taken yet (without their secrets). Owners only. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const articleId = parseId((await ctx.params).id, "article");
  const { team } = await requireArticleAccess(db, { actor: user, articleId, action: "member:manage" });
  const { guests, invites } = await listGuests(db, { teamId: team.id, articleId });
  const body: GuestList = {
    guests: guests.map((g) => ({ ...g, expiresAt: g.expiresAt.toISOString(), createdAt: g.createdAt.toISOString() })),
    invites: invites.map(inviteView),
  };
  return json(body);
});

/** Creates a single-use guest link for the article, with a role and the end of the access; the link is shown once. */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const articleId = parseId((await ctx.params).id, "article");
  const { team } = await requireArticleAccess(db, { actor: user, articleId, action: "member:manage" });
  const input = await readJson(req, createGuestInviteInput);
  await consumeRateLimit("invitesPerUser", user.id);
  const { invite, token } = await createGuestInvite(db, { teamId: team.id, articleId, role: input.role, accessExpiresAt: input.accessExpiresAt, createdBy: user.id });
  const url = new URL(`/guest/${token}`, req.nextUrl.origin).toString();
  const body: CreatedGuestInvite = { invite: { ...inviteView(invite), token, url } };
  return json(body, { status: 201 });
});
