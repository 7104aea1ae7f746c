import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, parseId, readQuery } from "@/lib/http";
import { requireArticleAccess } from "@/lib/policy";
import { exportArticle, publicOrigin } from "@/lib/publishing";
import { exportQuery } from "@/model/publishing";

/** The article as it is now, as a W3C Web Annotation collection, ClaimReview JSON-LD or annotated Markdown. */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const access = await requireArticleAccess(db, { actor: user, articleId: parseId((await ctx.params).id, "article"), action: "article:view" });
  const { format } = readQuery(req, exportQuery);
  const file = await exportArticle(db, { access, format, origin: publicOrigin(req) });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      // The name is the article's slug (letters, digits, dashes) plus a fixed suffix.
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
