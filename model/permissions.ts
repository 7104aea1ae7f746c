import { ROLE_RANK, type Role } from "./roles";

/**
 * Every action that a role may or may not perform. The UI hides what `can()` refuses; route handlers,
 * server actions and the collaboration server load the membership and ask the same function.
 */
export const ACTIONS = [
  "team:view",
  "team:update",
  "member:view",
  "member:manage",
  "article:view",
  "article:import",
  "article:delete",
  "body:edit",
  "comment:write",
  "claim:write",
  "summary:edit",
  "thread:delete-any",
  "claim:approve",
  "article:publish",
  "revision:view",
  "revision:create",
  "revision:restore",
  "audit:view",
] as const;

export type Action = (typeof ACTIONS)[number];

// The roles form a strict ladder, so each action is granted from one rung upwards. A table of rungs
// (rather than per-role lists) makes it impossible for a lower role to hold a right a higher one lacks.

const MINIMUM_ROLE: Record<Action, Role> = {
  "team:view": "viewer",
  "team:update": "owner",
  "member:view": "viewer",
  "member:manage": "owner",
  "article:view": "viewer",
  "article:import": "editor",
  "article:delete": "editor",
  "body:edit": "editor",
  "comment:write": "commenter",
  "claim:write": "checker",
  "summary:edit": "checker",
  "thread:delete-any": "editor",
  "claim:approve": "editor",
  "article:publish": "editor",
  "revision:view": "viewer",
  "revision:create": "commenter",
  "revision:restore": "editor",
  "audit:view": "owner",
};

/**
 * What a personal API token may be used for. The scopes form a ladder like the roles: `write` includes
 * `read`, `admin` includes both. A token never grants more than its owner's role.
 */
export const API_SCOPES = ["read", "write", "admin"] as const;

export type ApiScope = (typeof API_SCOPES)[number];

const SCOPE_RANK: Record<ApiScope, number> = { read: 0, write: 1, admin: 2 };

// The scope an action needs when it is done with an API token.
const ACTION_SCOPE: Record<Action, ApiScope> = {
  "team:view": "read",
  "team:update": "admin",
  "member:view": "read",
  "member:manage": "admin",
  "article:view": "read",
  "article:import": "write",
  "article:delete": "write",
  "body:edit": "write",
  "comment:write": "write",
  "claim:write": "write",
  "summary:edit": "write",
  "thread:delete-any": "write",
  "claim:approve": "write",
  "article:publish": "write",
  "revision:view": "read",
  "revision:create": "write",
  "revision:restore": "write",
  "audit:view": "admin",
};

// A guest is invited to one article, never to the desk: they may read it and, as a commenter, discuss it.
// The article's history is the desk's (it names every contributor), so it stays with members.
const GUEST_ACTIONS: ReadonlySet<Action> = new Set(["article:view", "comment:write"]);

/** The roles a guest can be given on an article. */
export const GUEST_ROLES = ["viewer", "commenter"] as const satisfies readonly Role[];

export type GuestRole = (typeof GUEST_ROLES)[number];

/**
 * Someone's rights on a desk or an article: their role, whether they are a guest of one article rather
 * than a member, and, for a request made with an API token, the token's scopes (null for a browser session).
 */
export interface Grant {
  role: Role;
  guest?: boolean;
  scopes?: readonly ApiScope[] | null;
}

/** The highest scope in a list, or undefined for an empty list. */
export function topScope(scopes: readonly ApiScope[]): ApiScope | undefined {
  return scopes.reduce<ApiScope | undefined>((top, s) => (top === undefined || SCOPE_RANK[s] > SCOPE_RANK[top] ? s : top), undefined);
}

/** The scope an API token needs for `action`. */
export function scopeFor(action: Action): ApiScope {
  return ACTION_SCOPE[action];
}

/**
 * Decides whether someone may perform `action`. Takes a bare role (a member using the app) or a grant
 * (a guest, or a request made with an API token). A missing role (not a member) may do nothing.
 */
export function can(who: Role | Grant | null | undefined, action: Action): boolean {
  if (!who) return false;
  const grant: Grant = typeof who === "string" ? { role: who } : who;
  if (ROLE_RANK[grant.role] < ROLE_RANK[MINIMUM_ROLE[action]]) return false;
  if (grant.guest && !GUEST_ACTIONS.has(action)) return false;
  if (grant.scopes) {
    const top = topScope(grant.scopes);
    if (top === undefined || SCOPE_RANK[top] < SCOPE_RANK[ACTION_SCOPE[action]]) return false;
  }
  return true;
}

/** The roles that `role` may hand out or change to; only owners manage members, and they may grant any role. */
export function assignableRoles(role: Role | null | undefined): Role[] {
  return can(role, "member:manage") ? ["viewer", "commenter", "checker", "editor", "owner"] : [];
}
