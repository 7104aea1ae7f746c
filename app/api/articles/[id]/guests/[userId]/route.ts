import { getDb } from "@/db/client";
import { revokeGuest } from "@/db/queries/guests";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { announceAccessChanged } from "@/lib/room-bus";

/** Ends a guest's access to the article at once; their open connections are closed. */
export const DELETE = apiRoute<{ id: string; userId: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const params = await ctx.params;
  const db = getDb();
  const articleId = parseId(params.id, "article");
  const { team } = await requireArticleAccess(db, { actor: user, articleId, action: "member:manage" });
  await revokeGuest(db, { teamId: team.id, articleId, userId: parseId(params.userId, "guest"), actorId: user.id });
  await announceAccessChanged({ teamId: team.id });
  return new Response(null, { status: 204 });
});
