/** The roles a member can hold on a desk, from least to most trusted. */
export const ROLES = ["viewer", "commenter", "checker", "editor", "owner"] as const;

export type Role = (typeof ROLES)[number];

/** Position on the ladder of trust; a higher rank holds every right of a lower one. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, commenter: 1, checker: 2, editor: 3, owner: 4 };

/** Human labels for the UI. */
export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer",
  commenter: "Commenter",
  checker: "Checker",
  editor: "Editor",
  owner: "Owner",
};

/** True when `value` is one of the known roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
