import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { signOutEverywhere } from "@/db/queries/users";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import { requireSessionUser } from "@/lib/auth/session";
import { apiRoute } from "@/lib/http";

/**
 * Ends every session of the signed-in user at once, this browser's included (its cookie is cleared),
 * and with them their open live connections. API tokens are not sessions: they stay until revoked.
 * Browser sessions only.
 */
export const POST = apiRoute(async (req) => {
  const user = await requireSessionUser(req);
  await signOutEverywhere(getDb(), { userId: user.id });
  const res = new NextResponse(null, { status: 204 });
  clearSessionCookie(req, res);
  return res;
});
