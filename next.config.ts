import type { NextConfig } from "next";
import { SECURITY_HEADERS_SOURCE, securityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // Native or WASM packages must be loaded by Node, not bundled (see docs/architecture.md).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "happy-dom", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tests included) with tsc as a step of its own.
  typescript: { ignoreBuildErrors: true },
  // CSP, nosniff, Referrer-Policy and X-Frame-Options on every page and API answer (not /p/, whose
  // published pages carry a stricter policy of their own).
  async headers() {
    const headers = securityHeaders({ dev: process.env.NODE_ENV === "development" });
    return [{ source: SECURITY_HEADERS_SOURCE, headers }];
  },
};

export default nextConfig;
