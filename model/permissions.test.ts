import { describe, expect, it } from "vitest";
import { ACTIONS, API_SCOPES, assignableRoles, can, GUEST_ROLES, scopeFor, topScope, type Action } from "./permissions";
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
  "revision:view": [Y, Y, Y, Y, Y],
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
    expect(granted).toEqual(["article:view", "member:view", "revision:view", "team:view"]);
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

describe("can with a grant", () => {
  it("a bare role and a grant without guest or scopes decide alike", () => {
    for (const role of ROLES) for (const action of ACTIONS) expect(can({ role }, action)).toBe(can(role, action));
  });

  it.each(GUEST_ROLES)("a guest %s may read the article and, as a commenter, comment: nothing of the desk", (role) => {
    const granted = ACTIONS.filter((a) => can({ role, guest: true }, a)).sort();
    expect(granted).toEqual(role === "commenter" ? ["article:view", "comment:write"] : ["article:view"]);
  });

  it("a guest grant never widens a role: even an owner marked as guest gets only the guest's actions", () => {
    const granted = ACTIONS.filter((a) => can({ role: "owner", guest: true }, a)).sort();
    expect(granted).toEqual(["article:view", "comment:write"]);
  });

  it("each action needs exactly its scope's rung of the ladder read < write < admin", () => {
    for (const action of ACTIONS) {
      const needed = scopeFor(action);
      for (const scope of API_SCOPES) {
        const enough = API_SCOPES.indexOf(scope) >= API_SCOPES.indexOf(needed);
        expect(can({ role: "owner", scopes: [scope] }, action), `${scope} → ${action}`).toBe(enough);
      }
    }
  });

  it("reading needs read, changing articles needs write, managing the desk needs admin", () => {
    expect(scopeFor("article:view")).toBe("read");
    expect(scopeFor("article:import")).toBe("write");
    expect(scopeFor("member:manage")).toBe("admin");
    expect(scopeFor("audit:view")).toBe("admin");
  });

  it("a token never exceeds its owner's role, and an empty scope list allows nothing", () => {
    expect(can({ role: "viewer", scopes: ["admin"] }, "article:import")).toBe(false);
    expect(can({ role: "checker", scopes: ["admin"] }, "member:manage")).toBe(false);
    for (const action of ACTIONS) expect(can({ role: "owner", scopes: [] }, action)).toBe(false);
  });

  it("the highest of several scopes counts", () => {
    expect(topScope(["read", "admin", "write"])).toBe("admin");
    expect(topScope([])).toBeUndefined();
  });
});
