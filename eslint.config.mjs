// ESLint 9 flat config. Not type-aware on purpose: it must stay fast enough to run on every change.
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = path.dirname(fileURLToPath(import.meta.url));

const SOURCE_EXTENSIONS = "{ts,tsx,mts,cts,js,jsx,mjs,cjs}";
const TEST_FILES = [`**/*.test.${SOURCE_EXTENSIONS}`];

// ---------------------------------------------------------------------------------------------------
// Folder boundaries (see "Layout" in the design notes).
//
// `no-restricted-imports` only sees the import string, not the resolved file, so a relative import is
// matched by how many `../` it takes to climb from the importing file back to the repository root: a file
// at `model/schemas/x.ts` reaches the root with exactly `../../`, so `../../lib/env` is lib/ while
// `../lib/env` would be `model/lib/env` and is not a boundary crossing. One config object per folder depth
// gets the matching pattern; a catch-all for deeper files (any number of `../`) comes first and is
// overridden by the exact ones, since a later config's options for the same rule replace earlier ones.
// ---------------------------------------------------------------------------------------------------

const MAX_EXACT_DEPTH = 10;

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Regex matching `@/<folder>` and `@/<folder>/...` for any of `folders`. */
function aliasRegex(folders) {
  return `^@/(?:${folders.map(escapeRegex).join("|")})(?:/|$)`;
}

/** Regex matching a relative import that climbs `depth` levels (or, without depth, any number) into `folders`. */
function relativeRegex(folders, depth) {
  const climb = depth === undefined ? "(?:\\.\\./)+" : `(?:\\.\\./){${depth}}`;
  return `^(?:\\./)?${climb}(?:${folders.map(escapeRegex).join("|")})(?:/|$)`;
}

/**
 * Config objects that forbid files under `folder` from importing `forbidden` top-level folders, through
 * the `@/` alias or a relative path. `extraPatterns` (e.g. node built-ins) are added to every object.
 */
function boundary({ folder, forbidden, extraPatterns = [], ignores = [], files: onlyFiles }) {
  const message = `${folder}/ may not import from ${forbidden.map((f) => `${f}/`).join(", ")} (see "Layout" in the design notes).`;
  const patternsFor = (depth) => [
    { regex: aliasRegex(forbidden), message },
    { regex: relativeRegex(forbidden, depth), message },
    ...extraPatterns,
  ];
  const filesAt = (depth) => {
    const dirs = depth === undefined ? "**/" : "*/".repeat(depth - 1);
    return onlyFiles ? onlyFiles(`${folder}/${dirs}`) : [`${folder}/${dirs}*.${SOURCE_EXTENSIONS}`];
  };
  const configs = [
    {
      name: `factdesk/boundaries/${folder}${onlyFiles ? "/tests" : ""}`,
      files: filesAt(undefined),
      ignores,
      rules: { "no-restricted-imports": ["error", { patterns: patternsFor(undefined) }] },
    },
  ];
  for (let depth = 1; depth <= MAX_EXACT_DEPTH; depth++) {
    configs.push({
      name: `factdesk/boundaries/${folder}${onlyFiles ? "/tests" : ""}/depth-${depth}`,
      files: filesAt(depth),
      ignores,
      rules: { "no-restricted-imports": ["error", { patterns: patternsFor(depth) }] },
    });
  }
  return configs;
}

// model/ runs in the browser too: no Node built-ins, with or without the `node:` prefix. Its tests run
// under Node only and may read fixtures, so they get the folder rule without the built-in rule.
const NODE_BUILTINS = [
  "assert",
  "async_hooks",
  "child_process",
  "cluster",
  "crypto",
  "dgram",
  "dns",
  "fs",
  "http",
  "http2",
  "https",
  "inspector",
  "module",
  "net",
  "os",
  "path",
  "perf_hooks",
  "readline",
  "tls",
  "v8",
  "vm",
  "worker_threads",
  "zlib",
];
const NO_NODE_IN_MODEL = [
  { regex: "^node:", message: "model/ is isomorphic: no node:* modules." },
  {
    regex: `^(?:${NODE_BUILTINS.join("|")})(?:/|$)`,
    message: "model/ is isomorphic: no Node built-in modules.",
  },
];

const MODEL_FORBIDDEN = ["app", "components", "server", "db", "lib"];

const boundaries = [
  ...boundary({ folder: "model", forbidden: MODEL_FORBIDDEN, extraPatterns: NO_NODE_IN_MODEL, ignores: TEST_FILES }),
  ...boundary({
    folder: "model",
    forbidden: MODEL_FORBIDDEN,
    files: (prefix) => [`${prefix}*.test.${SOURCE_EXTENSIONS}`],
  }),
  ...boundary({ folder: "components", forbidden: ["db", "lib", "server"] }),
  ...boundary({ folder: "db", forbidden: ["app", "components", "server"] }),
  ...boundary({ folder: "lib", forbidden: ["app", "components", "server"] }),
];

export default defineConfig(
  {
    name: "factdesk/ignores",
    ignores: [
      "**/node_modules/",
      ".next/",
      "data/",
      "test-results/",
      "playwright-report/",
      "reports/",
      "backups/",
      "blob-report/",
      "bench/results/",
      "next-env.d.ts",
      "db/migrations/",
    ],
  },
  {
    name: "factdesk/globals",
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: "factdesk/unused-vars",
    rules: {
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: "factdesk/service-worker",
    files: ["public/sw.js"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    name: "factdesk/browser-globals",
    files: [`app/**/*.${SOURCE_EXTENSIONS}`, `components/**/*.${SOURCE_EXTENSIONS}`, `model/**/*.${SOURCE_EXTENSIONS}`],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: "factdesk/react-hooks",
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.flat.recommended.rules },
  },
  {
    name: "factdesk/next",
    files: [`app/**/*.${SOURCE_EXTENSIONS}`, `components/**/*.${SOURCE_EXTENSIONS}`],
    plugins: { "@next/next": nextPlugin },
    settings: { next: { rootDir: root } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
    },
  },
  ...boundaries,
);
