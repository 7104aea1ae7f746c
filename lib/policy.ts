import type { Database } from "@/db/client";
import { findArticleForMember, type ArticleAccess } from "@/db/queries/articles";
import { findTeamForMember, type TeamWithRole } from "@/db/queries/teams";
import { can, scopeFor, type Action } from "@/model/permissions";
import type { Role } from "@/model/roles";
import type { Actor } from "./auth/session";
import { AppError } from "./errors";
import { hasUnstorableText } from "./http";

// Says which of the two limits refused: the person's role, or the scopes of the API token they used.
function refusal(role: Role, actor: Actor, action: Action): AppError {
  if (can(role, action)) return new AppError("forbidden", `This API token lacks the "${scopeFor(action)}" scope.`);
  return new AppError("forbidden", `Your role (${role}) may not do this.`);
}

/**
 * Loads the user's membership of a desk and checks one action with `can()`. A desk the user does not
 * belong to is reported as missing, so its existence does not leak.
 */
export async function requireTeamAccess(db: Database, params: { actor: Actor; teamSlug: string; action: Action }): Promise<TeamWithRole> {
  // No desk's slug holds such a character, and the database would refuse to even compare one.
  if (hasUnstorableText(params.teamSlug)) throw new AppError("not_found", "No such desk.");
  const access = await findTeamForMember(db, { slug: params.teamSlug, userId: params.actor.id });
  if (!access) throw new AppError("not_found", "No such desk.");
  if (!can({ role: access.role, scopes: params.actor.scopes }, params.action)) throw refusal(access.role, params.actor, params.action);
  return access;
}

/**
 * Loads an article through the user's membership of its desk (or their guest grant for it) and checks
 * one action with `can()`.
 */
export async function requireArticleAccess(db: Database, params: { actor: Actor; articleId: string; action: Action }): Promise<ArticleAccess> {
  const access = await findArticleForMember(db, { articleId: params.articleId, userId: params.actor.id });
  if (!access) throw new AppError("not_found", "No such article.");
  if (!can({ role: access.role, guest: access.guest, scopes: params.actor.scopes }, params.action)) {
    throw access.guest ? new AppError("forbidden", "Guests may not do this.") : refusal(access.role, params.actor, params.action);
  }
  return access;
}
