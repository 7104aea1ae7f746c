import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native or WASM packages must be loaded by Node, not bundled (see docs/architecture.md).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "happy-dom", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tests included) with tsc as a step of its own.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
