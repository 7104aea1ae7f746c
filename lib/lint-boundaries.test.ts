import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// Proves that the folder boundaries from the design notes ("Layout") are enforced by the real config:
// each snippet is linted as if it lived at `filePath`, and the verdict comes from no-restricted-imports.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let eslint: ESLint;

// Loading the config, the plugins and the TypeScript parser takes a moment on a busy machine; do it once.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.mjs") });
  await eslint.lintText("export {};\n", { filePath: path.join(root, "app/warm-up.ts") });
}, 60_000);

async function lint(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  if (!result) throw new Error("ESLint returned no result");
  return result.messages;
}

async function restrictedImportErrors(code: string, filePath: string) {
  const messages = await lint(code, filePath);
  return messages.filter((m) => m.ruleId === "no-restricted-imports" && m.severity === 2);
}

// Every snippet uses what it imports, so the only possible complaint is about the import itself.
const DB_IMPORT = 'import { getDb } from "@/db/client";\nexport const db = getDb;\n';

describe("folder boundaries", () => {
  describe("refused", () => {
    const cases: [label: string, filePath: string, code: string][] = [
      ["model → @/db", "model/x.ts", DB_IMPORT],
      ["components → @/db (tsx)", "components/x.tsx", DB_IMPORT],
      ["model → ../lib", "model/y.ts", 'import x from "../lib/env";\nexport default x;\n'],
      ["model/schemas → ../../lib", "model/schemas/y.ts", 'import x from "../../lib/env";\nexport default x;\n'],
      ["model → @/app", "model/x.ts", 'import x from "@/app/api/health/route";\nexport default x;\n'],
      ["model → @/components", "model/x.ts", 'import x from "@/components/ui/button";\nexport default x;\n'],
      ["model → @/server", "model/x.ts", 'import x from "@/server/main";\nexport default x;\n'],
      ["model → @/lib (folder itself)", "model/x.ts", 'import x from "@/lib";\nexport default x;\n'],
      ["model → type-only @/db", "model/x.ts", 'import type { Database } from "@/db/client";\nexport type D = Database;\n'],
      ["model re-export from @/db", "model/x.ts", 'export * from "@/db/schema";\n'],
      ["model → node:fs", "model/x.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n'],
      ["model → node:crypto", "model/deep/x.ts", 'import { randomUUID } from "node:crypto";\nexport const r = randomUUID;\n'],
      ["model → fs", "model/x.ts", 'import fs from "fs";\nexport default fs;\n'],
      ["model → fs/promises", "model/x.ts", 'import { readFile } from "fs/promises";\nexport const r = readFile;\n'],
      ["model → path", "model/x.ts", 'import path from "path";\nexport default path;\n'],
      ["model → crypto", "model/x.ts", 'import crypto from "crypto";\nexport default crypto;\n'],
      ["model → http", "model/x.ts", 'import http from "http";\nexport default http;\n'],
      ["model → net", "model/x.ts", 'import net from "net";\nexport default net;\n'],
      ["model → child_process", "model/x.ts", 'import cp from "child_process";\nexport default cp;\n'],
      ["model → os", "model/x.ts", 'import os from "os";\nexport default os;\n'],
      ["model test → @/db", "model/x.test.ts", DB_IMPORT],
      ["components → @/lib", "components/x.tsx", 'import { env } from "@/lib/env";\nexport const e = env;\n'],
      ["components → @/server", "components/editor/x.tsx", 'import x from "@/server/main";\nexport default x;\n'],
      ["components/editor → ../../db", "components/editor/x.tsx", 'import x from "../../db/client";\nexport default x;\n'],
      ["components → ../lib", "components/x.tsx", 'import x from "../lib/env";\nexport default x;\n'],
      ["db → @/app", "db/x.ts", 'import x from "@/app/api/health/route";\nexport default x;\n'],
      ["db → @/components", "db/x.ts", 'import x from "@/components/ui/button";\nexport default x;\n'],
      ["db/queries → ../../server", "db/queries/x.ts", 'import x from "../../server/main";\nexport default x;\n'],
      ["lib → @/server", "lib/x.ts", 'import x from "@/server/main";\nexport default x;\n'],
      ["lib/auth → ../../app", "lib/auth/x.ts", 'import x from "../../app/api/health/route";\nexport default x;\n'],
      ["lib → ../components", "lib/x.ts", 'import x from "../components/ui/button";\nexport default x;\n'],
    ];

    it.each(cases)("%s", async (_label, filePath, code) => {
      const errors = await restrictedImportErrors(code, filePath);
      expect(errors).toHaveLength(1);
    });
  });

  describe("allowed", () => {
    const cases: [label: string, filePath: string, code: string][] = [
      ["app → @/db", "app/x.ts", DB_IMPORT],
      ["app → ../lib", "app/x.ts", 'import x from "../lib/env";\nexport default x;\n'],
      ["server → @/db", "server/x.ts", DB_IMPORT],
      ["db → @/lib", "db/seed/x.ts", 'import { hashPassword } from "@/lib/passwords";\nexport const h = hashPassword;\n'],
      ["db/queries → ../schema", "db/queries/x.ts", 'import * as schema from "../schema";\nexport default schema;\n'],
      ["lib → @/db", "lib/x.ts", DB_IMPORT],
      ["lib → @/model", "lib/x.ts", 'import { can } from "@/model/permissions";\nexport const c = can;\n'],
      ["components → @/model", "components/x.tsx", 'import { can } from "@/model/permissions";\nexport const c = can;\n'],
      ["model → ./roles", "model/x.ts", 'import { ROLES } from "./roles";\nexport const r = ROLES;\n'],
      ["model/schemas → ../limits", "model/schemas/x.ts", 'import { LIMITS } from "../limits";\nexport const l = LIMITS;\n'],
      // From model/schemas/, one `../` only reaches model/, so this is model/lib/, not lib/.
      ["model/schemas → ../lib (inside model)", "model/schemas/x.ts", 'import x from "../lib/thing";\nexport default x;\n'],
      ["model → packages named like folders", "model/x.ts", 'import { z } from "zod";\nimport y from "lib0";\nexport const a = [z, y];\n'],
      ["model test → node:fs", "model/x.test.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n'],
    ];

    it.each(cases)("%s", async (_label, filePath, code) => {
      const messages = await lint(code, filePath);
      expect(messages).toEqual([]);
    });
  });

  it("names the boundary in the message", async () => {
    const [error] = await restrictedImportErrors(DB_IMPORT, "model/x.ts");
    expect(error?.message).toContain("model/ may not import from");
  });
});
