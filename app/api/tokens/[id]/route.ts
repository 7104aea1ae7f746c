import { getDb } from "@/db/client";
import { revokeApiToken } from "@/db/queries/api-tokens";
import { requireSessionUser } from "@/lib/auth/session";
import { apiRoute, parseId } from "@/lib/http";

/** Revokes one of the signed-in user's API tokens; it stops working at once. Browser sessions only. */
export const DELETE = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireSessionUser(req);
  const id = parseId((await ctx.params).id, "API token");
  await revokeApiToken(getDb(), { userId: user.id, id });
  return new Response(null, { status: 204 });
});
