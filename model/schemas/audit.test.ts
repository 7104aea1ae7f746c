import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, auditQuery } from "./audit";

describe("auditQuery", () => {
  it("defaults to the first JSON page of 50 and treats empty filters as absent", () => {
    expect(auditQuery.parse({})).toEqual({ limit: 50, format: "json", from: undefined, to: undefined });
    expect(auditQuery.parse({ action: "", actorId: "", from: "", to: "", before: "", limit: "", format: "" })).toMatchObject({ limit: 50, format: "json" });
  });

  it("reads a bare date as a whole UTC day and an instant as it is", () => {
    const q = auditQuery.parse({ from: "2024-02-29", to: "2024-03-01" });
    expect(q.from?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(q.to?.toISOString()).toBe("2024-03-01T23:59:59.999Z");
    expect(auditQuery.parse({ from: "2024-03-01T10:00:00+02:00" }).from?.toISOString()).toBe("2024-03-01T08:00:00.000Z");
  });

  it("coerces the cursor and the page size from the query string", () => {
    expect(auditQuery.parse({ before: "42", limit: "10", format: "csv", action: "member.role_change" })).toMatchObject({ before: 42, limit: 10, format: "csv", action: "member.role_change" });
  });

  it.each([
    { action: "member.everything" },
    { actorId: "me" },
    { from: "2024-02-30" },
    { from: "29/02/2024" },
    { from: "2024-03-02", to: "2024-03-01" },
    { before: "-3" },
    { limit: "500" },
    { format: "xlsx" },
  ])("refuses %j", (query) => {
    expect(auditQuery.safeParse(query).success).toBe(false);
  });

  it("has a label for every action", () => {
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });
});
