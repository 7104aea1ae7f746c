import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { ArticleAccess } from "@/db/queries/articles";
import type { TeamWithRole } from "@/db/queries/teams";
import { currentUser, type Actor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { requireArticleAccess, requireTeamAccess } from "@/lib/policy";
import type { Action } from "@/model/permissions";

/** Only same-site paths may be a post-sign-in destination. */
export function safeCallback(value: string | string[] | undefined, fallback = "/desks"): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : fallback;
}

/** The signed-in user, or a redirect to sign-in that comes back to `path`. */
export async function requirePageUser(path: string): Promise<Actor> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}

// A page answers 404 for a desk or article the user cannot see, exactly as the API does.
async function orNotFound<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  }
}

/** The user, the desk and their role, for a page that needs `action` on the desk. */
export async function requirePageTeam(slug: string, action: Action, path: string): Promise<TeamWithRole & { user: Actor }> {
  const user = await requirePageUser(path);
  const access = await orNotFound(() => requireTeamAccess(getDb(), { actor: user, teamSlug: slug, action }));
  return { ...access, user };
}

/** The user, the article, its desk and the user's role, for a page that needs `action` on the article. */
export async function requirePageArticle(articleId: string, action: Action, path: string): Promise<ArticleAccess & { user: Actor }> {
  const user = await requirePageUser(path);
  if (!/^[0-9a-f-]{36}$/i.test(articleId)) notFound();
  const access = await orNotFound(() => requireArticleAccess(getDb(), { actor: user, articleId, action }));
  return { ...access, user };
}
