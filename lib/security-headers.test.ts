import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { SECURITY_HEADERS_SOURCE, contentSecurityPolicy, securityHeaders } from "./security-headers";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

describe("content security policy", () => {
  it("has no eval in production, and only self plus inline for scripts", () => {
    const csp = directives(contentSecurityPolicy({ dev: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "https:"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(contentSecurityPolicy({ dev: false })).not.toContain("unsafe-eval");
  });

  it("allows eval only in dev", () => {
    expect(directives(contentSecurityPolicy({ dev: true })).get("script-src")).toContain("'unsafe-eval'");
  });
});

describe("security headers", () => {
  it("carries the fixed headers", () => {
    const headers = Object.fromEntries(securityHeaders({ dev: false }).map((h) => [h.key, h.value]));
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["Content-Security-Policy"]).toBe(contentSecurityPolicy({ dev: false }));
  });

  it("are configured in next.config for every path but the public pages, as Next itself matches them", async () => {
    const routes = await nextConfig.headers!();
    expect(routes).toHaveLength(1);
    expect(routes[0]!.source).toBe(SECURITY_HEADERS_SOURCE);
    expect(routes[0]!.headers.map((h) => h.key)).toContain("Content-Security-Policy");

    // Next's own compiler for custom routes, so the pattern is checked the way the server uses it.
    const require = createRequire(import.meta.url);
    const { buildCustomRoute } = require("next/dist/lib/build-custom-route.js") as {
      buildCustomRoute: (type: string, route: { source: string; headers: unknown[] }) => { regex: string };
    };
    const regex = new RegExp(buildCustomRoute("header", routes[0]!).regex);
    for (const path of ["/", "/signin", "/teams/demo-desk", "/api/health", "/api/teams/x/invites", "/api/auth/session", "/pricing", "/people"]) {
      expect(regex.test(path), path).toBe(true);
    }
    for (const path of ["/p/demo-desk/story", "/p/demo-desk/story/v/2", "/p"]) {
      expect(regex.test(path), path).toBe(false);
    }
  });
});
