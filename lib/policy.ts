import type { Database } from "@/db/client";
import { findArticleForMember, type ArticleAccess } from "@/db/queries/articles";
import { findTeamForMember, type TeamWithRole } from "@/db/queries/teams";
import { can, type Action } from "@/model/permissions";
import { AppError } from "./errors";

/**
 * Loads the user's membership of a desk and checks one action with `can()`. A desk the user does not
 * belong to is reported as missing, so its existence does not leak.
 */
export async function requireTeamAccess(db: Database, params: { userId: string; teamSlug: string; action: Action }): Promise<TeamWithRole> {
  const access = await findTeamForMember(db, { slug: params.teamSlug, userId: params.userId });
  if (!access) throw new AppError("not_found", "No such desk.");
  if (!can(access.role, params.action)) throw new AppError("forbidden", `Your role (${access.role}) may not do this.`);
  return access;
}

/**
 * Loads an article through the user's membership of its desk (or their guest grant for it) and checks
 * one action with `can()`.
 */
export async function requireArticleAccess(db: Database, params: { userId: string; articleId: string; action: Action }): Promise<ArticleAccess> {
  const access = await findArticleForMember(db, { articleId: params.articleId, userId: params.userId });
  if (!access) throw new AppError("not_found", "No such article.");
  if (!can({ role: access.role, guest: access.guest }, params.action)) {
    throw new AppError("forbidden", access.guest ? "Guests may not do this." : `Your role (${access.role}) may not do this.`);
  }
  return access;
}
