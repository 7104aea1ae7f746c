import { getDb } from "@/db/client";
import { signUp } from "@/lib/auth/credentials";
import { apiRoute, json, readJson } from "@/lib/http";
import { clientAddress, consumeRateLimit } from "@/lib/rate-limits";
import { signUpInput } from "@/model/schemas";

/** Creates an account; the client then signs in through next-auth. */
export const POST = apiRoute(async (req) => {
  const input = await readJson(req, signUpInput);
  await consumeRateLimit("signUpPerAddress", clientAddress(req.headers));
  const user = await signUp(getDb(), input);
  return json({ user: { id: user.id, email: user.email, name: user.name } }, { status: 201 });
});
