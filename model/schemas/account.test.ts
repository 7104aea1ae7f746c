import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { API_TOKEN_MAX_DAYS, apiTokenView, changePasswordInput, createApiTokenInput, scopeLadder } from "./account";

describe("scopeLadder", () => {
  it("expands the highest scope into the whole ladder below it", () => {
    expect(scopeLadder(["read"])).toEqual(["read"]);
    expect(scopeLadder(["write"])).toEqual(["read", "write"]);
    expect(scopeLadder(["admin"])).toEqual(["read", "write", "admin"]);
    expect(scopeLadder(["read", "admin", "read"])).toEqual(["read", "write", "admin"]);
    expect(scopeLadder([])).toEqual([]);
  });
});

describe("createApiTokenInput", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2030-06-15T12:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("trims the name, stores the scope ladder and reads a bare date as the end of that UTC day", () => {
    expect(createApiTokenInput.parse({ name: "  CMS import ", scopes: ["write"], expiresAt: "2030-07-01" })).toEqual({
      name: "CMS import",
      scopes: ["read", "write"],
      expiresAt: new Date("2030-07-01T23:59:59.999Z"),
    });
  });

  it("takes an exact instant as it is", () => {
    expect(createApiTokenInput.parse({ name: "bot", scopes: ["read"], expiresAt: "2030-06-16T23:59:59.999+02:00" }).expiresAt).toEqual(
      new Date("2030-06-16T21:59:59.999Z"),
    );
  });

  it("accepts an expiry up to the most days allowed, and not beyond", () => {
    const last = new Date(Date.now() + API_TOKEN_MAX_DAYS * 86_400_000).toISOString();
    const beyond = new Date(Date.now() + API_TOKEN_MAX_DAYS * 86_400_000 + 1000).toISOString();
    expect(createApiTokenInput.safeParse({ name: "x", scopes: ["read"], expiresAt: last }).success).toBe(true);
    const refused = createApiTokenInput.safeParse({ name: "x", scopes: ["read"], expiresAt: beyond });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["expiresAt"]);
  });

  it.each([
    { name: "", scopes: ["read"], expiresAt: "2030-07-01" },
    { name: "x".repeat(101), scopes: ["read"], expiresAt: "2030-07-01" },
    { name: "x", scopes: [], expiresAt: "2030-07-01" },
    { name: "x", scopes: ["superuser"], expiresAt: "2030-07-01" },
    { name: "x", scopes: "read", expiresAt: "2030-07-01" },
    { name: "x", scopes: ["read"], expiresAt: "2030-06-14" },
    { name: "x", scopes: ["read"], expiresAt: "2030-06-15T11:59:59Z" },
    { name: "x", scopes: ["read"], expiresAt: "next week" },
    { name: "x", scopes: ["read"], expiresAt: "2030-07-01", userId: "someone-else" },
  ])("refuses %j", (body) => {
    expect(createApiTokenInput.safeParse(body).success).toBe(false);
  });
});

describe("changePasswordInput", () => {
  it("asks for the current password and a new one as long as sign-up does", () => {
    expect(changePasswordInput.safeParse({ currentPassword: "old", newPassword: "a-new-password" }).success).toBe(true);
    expect(changePasswordInput.safeParse({ currentPassword: "", newPassword: "a-new-password" }).success).toBe(false);
    expect(changePasswordInput.safeParse({ currentPassword: "old", newPassword: "short" }).success).toBe(false);
  });

  it("refuses a new password equal to the current one", () => {
    const result = changePasswordInput.safeParse({ currentPassword: "same-password-1", newPassword: "same-password-1" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["newPassword"]);
  });
});

describe("apiTokenView", () => {
  it("shows dates as ISO instants and says whether the token has expired", () => {
    const token = {
      id: "00000000-0000-4000-8000-000000000001",
      name: "CMS",
      prefix: "fdt_abcdefgh",
      scopes: ["admin" as const],
      createdAt: new Date("2030-01-01T00:00:00Z"),
      lastUsedAt: null,
      expiresAt: new Date("2030-02-01T00:00:00Z"),
    };
    expect(apiTokenView(token, new Date("2030-01-15T00:00:00Z"))).toEqual({
      id: token.id,
      name: "CMS",
      prefix: "fdt_abcdefgh",
      scopes: ["read", "write", "admin"],
      createdAt: "2030-01-01T00:00:00.000Z",
      lastUsedAt: null,
      expiresAt: "2030-02-01T00:00:00.000Z",
      expired: false,
    });
    expect(apiTokenView(token, new Date("2030-02-01T00:00:00Z")).expired).toBe(true);
  });
});
