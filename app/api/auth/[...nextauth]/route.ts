import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { assertSignInAllowed } from "@/lib/auth/throttle";
import { toErrorResponse } from "@/lib/http";
import { clientAddress } from "@/lib/rate-limits";
import { email as emailSchema } from "@/model/schemas/auth";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * A locked-out email and password sign-in is answered here with 429 and Retry-After, before next-auth
 * (which can only answer 401). The body carries the JSON error shape plus the `url` next-auth's client
 * reads the error from, so the sign-in form shows the message.
 */
async function refuseLockedOutSignIn(req: NextRequest, action: string[]): Promise<Response | undefined> {
  if (req.method !== "POST" || action.join("/") !== "callback/credentials") return undefined;
  const form = await req
    .clone()
    .formData()
    .catch(() => undefined);
  const email = emailSchema.safeParse(form?.get("email"));
  if (!email.success) return undefined;
  try {
    await assertSignInAllowed({ email: email.data, ip: clientAddress(req.headers) });
    return undefined;
  } catch (error) {
    const response = toErrorResponse(error);
    const body = (await response.json()) as { error: { message: string } };
    const url = new URL("/signin", req.nextUrl.origin);
    url.searchParams.set("error", body.error.message);
    return Response.json({ ...body, url: url.toString() }, { status: response.status, headers: response.headers });
  }
}

// Options are built per request so that they read the environment prepared by server/main.ts.
async function handler(req: NextRequest, ctx: Context): Promise<Response> {
  const params = await ctx.params;
  const refused = await refuseLockedOutSignIn(req, params.nextauth);
  if (refused) return refused;
  return NextAuth(req, { params }, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
