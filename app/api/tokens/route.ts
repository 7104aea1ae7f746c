import { getDb } from "@/db/client";
import { createApiToken, listApiTokens } from "@/db/queries/api-tokens";
import { requireSessionUser } from "@/lib/auth/session";
import { apiRoute, json, readJson } from "@/lib/http";
import { consumeRateLimit } from "@/lib/rate-limits";
import { apiTokenView, createApiTokenInput, type ApiTokenList, type CreatedApiToken } from "@/model/schemas/account";

/** The signed-in user's personal API tokens (never their secrets). Browser sessions only. */
export const GET = apiRoute(async (req) => {
  const user = await requireSessionUser(req);
  const now = new Date();
  const body: ApiTokenList = { tokens: (await listApiTokens(getDb(), { userId: user.id })).map((t) => apiTokenView(t, now)) };
  return json(body, { headers: { "cache-control": "no-store" } });
});

/** Creates a personal API token; its secret is in this answer and nowhere else, ever. Browser sessions only. */
export const POST = apiRoute(async (req) => {
  const user = await requireSessionUser(req);
  const input = await readJson(req, createApiTokenInput);
  await consumeRateLimit("apiTokensCreatedPerUser", user.id);
  const { token, secret } = await createApiToken(getDb(), { userId: user.id, ...input });
  const body: CreatedApiToken = { token: apiTokenView(token), secret };
  return json(body, { status: 201, headers: { "cache-control": "no-store" } });
});
