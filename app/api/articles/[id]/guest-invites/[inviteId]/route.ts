import { getDb } from "@/db/client";
import { revokeGuestInvite } from "@/db/queries/guests";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";

/** Revokes a guest link nobody has taken yet. */
export const DELETE = apiRoute<{ id: string; inviteId: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const articleId = parseId(params.id, "article");
  const { team } = await requireArticleAccess(db, { actor: user, articleId, action: "member:manage" });
  await revokeGuestInvite(db, { teamId: team.id, articleId, inviteId: parseId(params.inviteId, "guest link"), actorId: user.id });
  return new Response(null, { status: 204 });
});
