import { describe, expect, it } from "vitest";
import { compareRevisionsQuery, createRevisionInput, listRevisionsQuery, revisionRef } from "./api";

describe("revision API inputs", () => {
  it("read a revision reference as a positive number or `current`", () => {
    expect(revisionRef.parse("current")).toBe("current");
    expect(revisionRef.parse("1")).toBe(1);
    expect(revisionRef.parse("120")).toBe(120);
    for (const bad of ["0", "-1", "01", "1.5", "1e3", " 1", "Current", "", "9999999999"]) expect(revisionRef.safeParse(bad).success, bad).toBe(false);
  });

  it("page with a bounded limit (20 by default) and an optional `before`", () => {
    expect(listRevisionsQuery.parse({})).toEqual({ limit: 20 });
    expect(listRevisionsQuery.parse({ limit: "5", before: "9" })).toEqual({ limit: 5, before: 9 });
    for (const bad of [{ limit: "0" }, { limit: "101" }, { limit: "x" }, { before: "0" }, { before: "current" }]) {
      expect(listRevisionsQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("compare two references, both required", () => {
    expect(compareRevisionsQuery.parse({ from: "3", to: "current" })).toEqual({ from: 3, to: "current" });
    expect(compareRevisionsQuery.safeParse({ from: "3" }).success).toBe(false);
  });

  it("name a version with 1 to 120 characters, trimmed, and nothing else", () => {
    expect(createRevisionInput.parse({ label: "  Before the edit  " })).toEqual({ label: "Before the edit" });
    expect(createRevisionInput.parse({ label: "x".repeat(120) }).label).toHaveLength(120);
    for (const bad of [{ label: "" }, { label: "   " }, { label: "x".repeat(121) }, { label: 1 }, {}, { label: "ok", kind: "system" }]) {
      expect(createRevisionInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
