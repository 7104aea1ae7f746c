import { describe, expect, it } from "vitest";
import { ACTIONS, assignableRoles, can, type Action } from "./permissions";
import { ROLES, type Role } from "./roles";

// The intended policy, written out by hand. Each row lists, in role order, whether
// viewer / commenter / checker / editor / owner may perform the action.
const Y = true;
const N = false;
const EXPECTED: Record<Action, [viewer: boolean, commenter: boolean, checker: boolean, editor: boolean, owner: boolean]> = {
  "team:view": [Y, Y, Y, Y, Y],
  "member:view": [Y, Y, Y, Y, Y],
  "article:view": [Y, Y, Y, Y, Y],
  "comment:write": [N, Y, Y, Y, Y],
  "revision:create": [N, Y, Y, Y, Y],
  "claim:write": [N, N, Y, Y, Y],
  "summary:edit": [N, N, Y, Y, Y],
  "article:import": [N, N, N, Y, Y],
  "article:delete": [N, N, N, Y, Y],
  "body:edit": [N, N, N, Y, Y],
  "thread:delete-any": [N, N, N, Y, Y],
  "claim:approve": [N, N, N, Y, Y],
  "article:publish": [N, N, N, Y, Y],
  "revision:restore": [N, N, N, Y, Y],
  "team:update": [N, N, N, N, Y],
  "member:manage": [N, N, N, N, Y],
  "audit:view": [N, N, N, N, Y],
};
const ROLE_COLUMNS = ["viewer", "commenter", "checker", "editor", "owner"] as const;

const cells = Object.entries(EXPECTED).flatMap(([action, row]) =>
  ROLE_COLUMNS.map((role, i) => [role, action as Action, row[i]] as const),
);

describe("can", () => {
  it("the expected table covers exactly the roles and actions the model defines", () => {
    expect([...ROLES]).toEqual([...ROLE_COLUMNS]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    expect(ACTIONS).toHaveLength(new Set(ACTIONS).size);
  });

  it.each(cells)("%s may %s: %s", (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
  });

  it.each([...ACTIONS])("nobody (null or undefined role) may %s", (action) => {
    expect(can(null, action)).toBe(false);
    expect(can(undefined, action)).toBe(false);
  });

  it("a viewer may only read", () => {
    const granted = ACTIONS.filter((a) => can("viewer", a)).sort();
    expect(granted).toEqual(["article:view", "member:view", "team:view"]);
  });

  it("each role holds every right of the roles below it", () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = ROLES[i - 1] as Role;
      const higher = ROLES[i] as Role;
      for (const action of ACTIONS) if (can(lower, action)) expect(can(higher, action)).toBe(true);
    }
  });
});

describe("assignableRoles", () => {
  it("an owner may hand out every role", () => {
    expect([...assignableRoles("owner")].sort()).toEqual(["checker", "commenter", "editor", "owner", "viewer"]);
  });

  it.each(["viewer", "commenter", "checker", "editor"] as const)("a %s may hand out no role", (role) => {
    expect(assignableRoles(role)).toEqual([]);
  });

  it("a non-member may hand out no role", () => {
    expect(assignableRoles(null)).toEqual([]);
    expect(assignableRoles(undefined)).toEqual([]);
  });

  it("returns a fresh array each time, so callers cannot corrupt the policy", () => {
    const first = assignableRoles("owner");
    first.pop();
    expect(assignableRoles("owner")).toHaveLength(5);
  });
});
