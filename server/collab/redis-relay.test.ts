import { describe, expect, it } from "vitest";
import { compareStreamIds } from "./redis-relay";

describe("stream ids", () => {
  it("are ordered by time, then by sequence", () => {
    expect(compareStreamIds("1700000000000-1", "1700000000000-0")).toBeGreaterThan(0);
    expect(compareStreamIds("1700000000000-9", "1700000000001-0")).toBeLessThan(0);
    expect(compareStreamIds("5-5", "5-5")).toBe(0);
  });
});
