import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, parseId, readJson, readQuery } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { createRevision, listRevisionPage } from "@/lib/revisions";
import { createRevisionInput, listRevisionsQuery, type RevisionCreateResponse, type RevisionListResponse } from "@/model/revisions";

/** The article's revisions, newest first, a page at a time (`before` = the last number seen). */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "revision:view" });
  const query = readQuery(req, listRevisionsQuery);
  const page: RevisionListResponse = await listRevisionPage(db, { teamId: team.id, articleId: article.id, ...query });
  return json(page);
});

/** Saves a named version of the article as it is now. */
export const POST = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { article, team } = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "revision:create" });
  const input = await readJson(req, createRevisionInput);
  const revision = await createRevision(db, { teamId: team.id, articleId: article.id, kind: "named", reason: "named", label: input.label, createdBy: user.id });
  const body: RevisionCreateResponse = { revision: revision! };
  return json(body, { status: 201 });
});
