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
  "revision:create": "commenter",
  "revision:restore": "editor",
  "audit:view": "owner",
};

/** Decides whether `role` may perform `action`. A missing role (not a member) may do nothing. */
export function can(role: Role | null | undefined, action: Action): boolean {
  if (!role) return false;
  return ROLE_RANK[role] >= ROLE_RANK[MINIMUM_ROLE[action]];
}

/** The roles that `role` may hand out or change to; only owners manage members, and they may grant any role. */
export function assignableRoles(role: Role | null | undefined): Role[] {
  return can(role, "member:manage") ? ["viewer", "commenter", "checker", "editor", "owner"] : [];
}
