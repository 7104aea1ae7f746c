import { getDb } from "@/db/client";
import { listClaims } from "@/db/queries/review";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { findVerdict, readTeamSettings } from "@/model/verdict-scale";

/** The article's claims with their quotes, verdicts and evidence, from the projection tables. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "article:view" });
  const scale = readTeamSettings(team.settings).verdictScale;
  const claims = await listClaims(db, { teamId: team.id, articleId: article.id });
  return json({
    claims: claims.map((c) => ({ ...c, verdictLabel: findVerdict(scale, c.verdict)?.label ?? null })),
  });
});
