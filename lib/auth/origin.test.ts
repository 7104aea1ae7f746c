import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnv } from "../env";
import { checkRequestOrigin, type OriginCheckRequest } from "./origin";

function request(params: { method?: string; cookie?: string; headers?: Record<string, string>; host?: string }): OriginCheckRequest {
  const names = params.cookie ? [{ name: params.cookie }] : [];
  return {
    method: params.method ?? "POST",
    headers: new Headers(params.headers),
    cookies: { getAll: () => names },
    nextUrl: { host: params.host ?? "localhost:3000" },
  };
}

describe("checkRequestOrigin", () => {
  const before = process.env.NEXTAUTH_URL;
  beforeEach(() => {
    delete process.env.NEXTAUTH_URL;
    resetEnv();
  });
  afterEach(() => {
    if (before === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = before;
    resetEnv();
  });

  it("recognises every form of next-auth's session cookie", () => {
    for (const cookie of ["next-auth.session-token", "__Secure-next-auth.session-token", "next-auth.session-token.0", "__Secure-next-auth.session-token.1"]) {
      expect(checkRequestOrigin(request({ cookie, headers: { origin: "https://evil.example" } })), cookie).toBe("cross_origin");
    }
    // Other cookies (the CSRF token, the callback URL) do not authenticate anything.
    expect(checkRequestOrigin(request({ cookie: "next-auth.csrf-token", headers: { origin: "https://evil.example" } }))).toBeNull();
  });

  it("only guards state-changing methods", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(checkRequestOrigin(request({ method, cookie: "next-auth.session-token", headers: { origin: "https://evil.example" } }))).toBeNull();
    }
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "delete"]) {
      expect(checkRequestOrigin(request({ method, cookie: "next-auth.session-token", headers: { origin: "https://evil.example" } }))).toBe("cross_origin");
    }
  });

  it("accepts the request's Host, the forwarded host and NEXTAUTH_URL's host; nothing else", () => {
    const cookie = "next-auth.session-token";
    expect(checkRequestOrigin(request({ cookie, headers: { origin: "http://localhost:3000" } }))).toBeNull();
    expect(checkRequestOrigin(request({ cookie, host: "internal:3000", headers: { origin: "https://a.example", host: "a.example" } }))).toBeNull();
    expect(checkRequestOrigin(request({ cookie, host: "internal:3000", headers: { origin: "https://b.example", "x-forwarded-host": "b.example" } }))).toBeNull();
    expect(checkRequestOrigin(request({ cookie, headers: { origin: "https://localhost:3000.evil.example" } }))).toBe("cross_origin");
    expect(checkRequestOrigin(request({ cookie, headers: { origin: "not a url" } }))).toBe("cross_origin");
    process.env.NEXTAUTH_URL = "https://public.example.org";
    resetEnv();
    expect(checkRequestOrigin(request({ cookie, headers: { origin: "https://public.example.org" } }))).toBeNull();
  });

  it("trusts a missing Origin only from a non-browser client or with Sec-Fetch-Site: same-origin", () => {
    const cookie = "next-auth.session-token";
    // Neither header: not a browser (a browser sends Sec-Fetch-Site on every request), so no forgery.
    expect(checkRequestOrigin(request({ cookie }))).toBeNull();
    expect(checkRequestOrigin(request({ cookie, headers: { "sec-fetch-site": "same-site" } }))).toBe("missing_origin");
    expect(checkRequestOrigin(request({ cookie, headers: { "sec-fetch-site": "cross-site" } }))).toBe("missing_origin");
    expect(checkRequestOrigin(request({ cookie, headers: { "sec-fetch-site": "same-origin" } }))).toBeNull();
    expect(checkRequestOrigin(request({}))).toBeNull();
  });
});
