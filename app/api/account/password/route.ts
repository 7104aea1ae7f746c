import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { changePassword } from "@/db/queries/users";
import { reissueSessionCookie } from "@/lib/auth/session-cookie";
import { requireSession } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { apiRoute, readJson } from "@/lib/http";
import { hashPassword, verifyPassword } from "@/lib/passwords";
import { assertUnderRateLimit, consumeRateLimit } from "@/lib/rate-limits";
import { changePasswordInput } from "@/model/schemas/account";

/**
 * Changes the signed-in user's password. Every other session ends (and with it their open live
 * connections); this browser gets a new session cookie and stays signed in. Wrong current passwords
 * are counted, and after a few the account must wait. Browser sessions only.
 */
export const POST = apiRoute(async (req) => {
  const { user, token } = await requireSession(req);
  const input = await readJson(req, changePasswordInput);
  if (!user.passwordHash) {
    throw new AppError("bad_request", "This account signs in through an external provider, so it has no password to change here.");
  }
  await assertUnderRateLimit("passwordChangeFailuresPerUser", user.id);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await consumeRateLimit("passwordChangeFailuresPerUser", user.id);
    throw new AppError("forbidden", "The current password is not right.");
  }
  const sessionVersion = await changePassword(getDb(), { userId: user.id, passwordHash: await hashPassword(input.newPassword) });
  const res = new NextResponse(null, { status: 204 });
  await reissueSessionCookie(req, res, { token, sessionVersion });
  return res;
});
