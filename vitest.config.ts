import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

// Unit tests sit next to the code. Integration tests (tests/integration) each open a database of their
// own: the embedded PGlite always, and a fresh database on real PostgreSQL when TEST_DATABASE_URL is set.
// The database fault tests stop and start a private PostgreSQL cluster of their own, so they run once:
// in the PostgreSQL project when there is one, otherwise in the embedded one.
const FAULTS_DATABASE = "tests/integration/collab/faults-database.int.test.ts";
const faultsRunIn = process.env.TEST_DATABASE_URL ? "postgres" : "embedded";
const integration = (kind: "embedded" | "postgres") => ({
  extends: true as const,
  test: {
    name: `integration-${kind}`,
    include: ["tests/integration/**/*.int.test.ts"],
    exclude: kind === faultsRunIn ? configDefaults.exclude : [...configDefaults.exclude, FAULTS_DATABASE],
    env: { TEST_DB_KIND: kind },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{model,lib,db,server,components}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      integration("embedded"),
      ...(process.env.TEST_DATABASE_URL ? [integration("postgres")] : []),
    ],
  },
});
