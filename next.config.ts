import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native or WASM packages must be loaded by Node, not bundled (see docs/architecture.md).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "@node-rs/argon2", "happy-dom", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
