import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createRevisionInput } from "@/model/revisions/api";
import { createTeamInput, importArticleInput, signUpInput } from "@/model/schemas";
import { publishInput } from "@/model/publishing/api";
import { buildOpenApiDocument } from "./document";

type Json = Record<string, unknown>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const API_DIR = path.resolve(__dirname, "../../app/api");

/** Every `METHOD /api/path` that a route.ts under app/api exports, found from the files themselves. */
function discoverRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string, segments: string[]): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // [id] and [...catchAll] are both one `{param}` in OpenAPI terms.
        walk(path.join(dir, entry.name), [...segments, entry.name.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")]);
      } else if (entry.name === "route.ts") {
        const source = readFileSync(path.join(dir, entry.name), "utf8");
        const exported = new Set<string>();
        for (const m of source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) exported.add(m[1]!);
        for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
          for (const part of m[1]!.split(",")) {
            const name = part.trim().split(/\s+as\s+/).pop()!.trim();
            if ((METHODS as readonly string[]).includes(name)) exported.add(name);
          }
        }
        for (const method of exported) found.push(`${method} /api/${segments.join("/")}`);
      }
    }
  };
  walk(API_DIR, []);
  return found.sort();
}

function documentedRoutes(doc: Json): string[] {
  return Object.entries(doc.paths as Record<string, Json>)
    .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function allRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}

/** The documented request body schema of one operation, as a zod validator rebuilt from the JSON Schema. */
function documentedBody(doc: Json, method: string, p: string): z.ZodType {
  const op = ((doc.paths as Record<string, Json>)[p]![method.toLowerCase()] as Json).requestBody as Json;
  const ref = (((op.content as Json)["application/json"] as Json).schema as Json).$ref as string;
  return z.fromJSONSchema(resolvePointer(doc, ref) as Parameters<typeof z.fromJSONSchema>[0]);
}

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument();

  it("describes exactly the route handlers that exist", () => {
    const routes = discoverRoutes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContain("POST /api/auth/{nextauth}");
    expect(documentedRoutes(doc)).toEqual(routes);
  });

  it("is a well-formed OpenAPI 3.1 document whose references all resolve", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const info = doc.info as Json;
    expect(typeof info.title).toBe("string");
    expect(typeof info.version).toBe("string");
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolvePointer(doc, ref), ref).toBeDefined();

    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
      expect(p.startsWith("/api/")).toBe(true);
      for (const [method, raw] of Object.entries(item)) {
        const op = raw as Json;
        expect(ids.has(op.operationId as string), `${op.operationId as string} is unique`).toBe(false);
        ids.add(op.operationId as string);
        // Every `{param}` in the template is declared as a required path parameter, and nothing more.
        const declared = ((op.parameters ?? []) as Json[]).filter((x) => x.in === "path").map((x) => x.name);
        expect(declared, `${method} ${p}`).toEqual([...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
        const responses = op.responses as Record<string, Json>;
        expect(Object.keys(responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof response.description).toBe("string");
        }
        expect(op["x-caller"]).toBeDefined();
      }
    }
  });

  it("documents errors with the shared JSON error shape and the action a member route checks", () => {
    const op = ((doc.paths as Record<string, Json>)["/api/articles/{id}/publications"]!.post as Json);
    const responses = op.responses as Record<string, Json>;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(["201", "400", "401", "403", "404", "409", "413", "415"]));
    const schema = ((responses["409"]!.content as Json)["application/json"] as Json).schema as Json;
    const errorBody = z.fromJSONSchema(resolvePointer(doc, schema.$ref as string) as Parameters<typeof z.fromJSONSchema>[0]);
    expect(errorBody.safeParse({ error: { code: "not_approved", message: "Not yet." } }).success).toBe(true);
    expect(errorBody.safeParse({ error: { message: "no code" } }).success).toBe(false);
    expect(op["x-caller"]).toEqual({ kind: "member", action: "article:publish", roles: ["editor", "owner"] });
    expect(responses["403"]!.description).toMatch(/`forbidden`.*`bad_origin`/);
    // A signed-in route that changes state can still be refused for coming from another site.
    const createTeam = (doc.paths as Record<string, Json>)["/api/teams"]!.post as Json;
    expect((createTeam.responses as Record<string, Json>)["403"]!.description).toMatch(/`bad_origin`/);
  });

  it.each([
    {
      route: ["POST", "/api/signup"],
      schema: signUpInput,
      accepted: { name: "Ada Lovelace", email: "ada@example.org", password: "correct horse battery" },
      refused: { name: "Ada", email: "not an email", password: "correct horse battery" },
    },
    { route: ["POST", "/api/teams"], schema: createTeamInput, accepted: { name: "Metro desk", slug: "metro" }, refused: { slug: "metro" } },
    {
      route: ["POST", "/api/teams/{team}/articles"],
      schema: importArticleInput,
      accepted: { title: "A story", format: "text", content: "Some text.", sourceUrl: "" },
      refused: { title: "A story", format: "pdf", content: "Some text." },
    },
    {
      route: ["POST", "/api/articles/{id}/publications"],
      schema: publishInput,
      accepted: { claimIds: [], correction: "Fixed a date." },
      refused: { claimIds: [], surprise: true },
    },
    { route: ["POST", "/api/articles/{id}/revisions"], schema: createRevisionInput, accepted: { label: "Before edits" }, refused: { label: "" } },
  ])("documents the request body of $route.0 $route.1 as the route checks it", ({ route, schema, accepted, refused }) => {
    const documented = documentedBody(doc, route[0]!, route[1]!);
    // The bodies are ones the route itself accepts and refuses, so the document agrees with the handler.
    expect(schema.safeParse(accepted).success).toBe(true);
    expect(schema.safeParse(refused).success).toBe(false);
    expect(documented.safeParse(accepted).success).toBe(true);
    expect(documented.safeParse(refused).success).toBe(false);
  });

  it("documents API tokens: accepted (with 429) on ordinary signed-in routes, refused (403) on browser-session routes", () => {
    const schemes = (doc.components as Json).securitySchemes as Record<string, Json>;
    expect(schemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const listTeams = paths["/api/teams"]!.get!;
    expect(listTeams.security).toEqual([{ session: [] }, { bearer: [] }]);
    expect(Object.keys(listTeams.responses as Json)).toContain("429");
    for (const [method, p] of [["post", "/api/teams"], ["get", "/api/tokens"], ["post", "/api/tokens"], ["delete", "/api/tokens/{id}"], ["post", "/api/account/password"], ["post", "/api/account/sign-out-everywhere"]] as const) {
      const op = paths[p]![method]!;
      expect(op.security, `${method} ${p}`).toEqual([{ session: [] }]);
      expect(((op.responses as Record<string, Json>)["403"]!.description as string), `${method} ${p}`).toMatch(/`forbidden`/);
      expect(op.description as string).toMatch(/browser session/);
    }
    expect(paths["/api/health"]!.get!.security).toEqual([]);
  });

  it("documents query parameters from the route's query schema", () => {
    const op = (doc.paths as Record<string, Json>)["/api/articles/{id}/revisions/compare"]!.get as Json;
    const query = (op.parameters as Json[]).filter((x) => x.in === "query");
    expect(query.map((x) => [x.name, x.required])).toEqual([
      ["from", true],
      ["to", true],
    ]);
    const from = z.fromJSONSchema(query[0]!.schema as Parameters<typeof z.fromJSONSchema>[0]);
    expect(from.safeParse("current").success).toBe(true);
    expect(from.safeParse("12").success).toBe(true);
    expect(from.safeParse("latest").success).toBe(false);
  });
});
