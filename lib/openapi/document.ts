import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { RATE_LIMITS } from "@/lib/rate-limits";
import { can } from "@/model/permissions";
import { ROLES } from "@/model/roles";
import { ROUTES, type RouteDoc } from "./routes";

type Json = Record<string, unknown>;

/** The OpenAPI document's version of the API (not the package's): bump it when a route changes shape. */
export const API_VERSION = "1.0.0";

const ERROR_REF = "#/components/schemas/ErrorBody";

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a client sends, from the zod schema the route parses with. */
export function inputSchema(schema: z.ZodType): Json {
  // `io: "input"` describes what the client sends (before defaults and transforms); transforms that
  // cannot be expressed (refinements, preprocessing) are described by the schema they feed into.
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12", override: describePipeOutput }) as Json;
  delete json.$schema;
  return json;
}

// In input mode zod describes a pipe by its first half, so `z.string().trim().pipe(z.email())` would
// lose the email format. When the second half only checks (is not a transform), it is what the input
// must satisfy, so it is the better description.
function describePipeOutput(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== "pipe" || def.out._zod.def.type === "transform") return;
  const out = inputSchema(def.out as z.ZodType);
  for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
  Object.assign(ctx.jsonSchema, out);
}

/** A stable operationId such as `postTeamsTeamArticles` for `POST /api/teams/{team}/articles`. */
export function operationId(route: Pick<RouteDoc, "method" | "path">): string {
  const words = route.path
    .replace(/^\/api\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return route.method.toLowerCase() + words.join("");
}

/** The `{param}` names of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

// The errors a route answers with follow from what it does: everything may fail with 500; signed-in
// routes answer 401; member routes 404 (a desk or article you do not belong to looks unknown) and 403
// (your role may not); a body can be malformed, too large or not JSON; a query can be malformed.
function errorCodes(route: RouteDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.path.startsWith("/api/auth/")) return [];
  if (route.caller.kind !== "public") codes.add("unauthorized");
  // A browser-session route refuses API tokens (403); every other signed-in route accepts them, and a
  // token that uses up its request budget is answered 429.
  if (route.caller.kind !== "public") codes.add(route.sessionOnly ? "forbidden" : "rate_limited");
  if (route.caller.kind === "member") {
    codes.add("forbidden");
    codes.add("not_found");
  }
  if (pathParams(route.path).length) codes.add("not_found");
  if (route.body) ["bad_request", "payload_too_large", "unsupported_media_type"].forEach((c) => codes.add(c as ErrorCode));
  if (route.query) codes.add("bad_request");
  if (route.caller.kind !== "public" || route.body) codes.add("internal");
  return [...codes];
}

// apiRoute answers a state-changing request that carries a session cookie but comes from another site
// with 403 `bad_origin` before the handler runs (lib/auth/origin.ts); it is not an AppError code.
const BAD_ORIGIN = { code: "bad_origin", status: 403 } as const;

function errorResponses(route: RouteDoc): Json {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, code: string): void => void byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const code of errorCodes(route)) add(ERROR_STATUS[code], code);
  if (route.method !== "GET" && !route.path.startsWith("/api/auth/")) add(BAD_ORIGIN.status, BAD_ORIGIN.code);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: `Error: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
          content: { "application/json": { schema: { $ref: ERROR_REF } } },
        },
      ]),
  );
}

const SESSION_ONLY_TEXT = "Only a browser session may call this; a request with an API token is refused with 403.";

function callerDescription(route: RouteDoc): { text: string; extension: Json } {
  const caller = route.caller;
  if (caller.kind === "public") return { text: "Anyone may call this.", extension: { kind: "public" } };
  if (caller.kind === "signed-in") return { text: "Any signed-in user may call this.", extension: { kind: "signed-in" } };
  const roles = ROLES.filter((r) => can(r, caller.action));
  return {
    text: `Members whose role can \`${caller.action}\` (${roles.join(", ")}) may call this.`,
    extension: { kind: "member", action: caller.action, roles },
  };
}

function queryParameters(route: RouteDoc): Json[] {
  if (!route.query) return [];
  const schema = inputSchema(route.query);
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, in: "query", required: required.has(name), schema: property }));
}

function operation(route: RouteDoc, components: Record<string, Json>): Json {
  const id = operationId(route);
  const who = callerDescription(route);
  const op: Json = {
    operationId: id,
    summary: route.summary,
    description: [route.description, who.text, route.sessionOnly ? SESSION_ONLY_TEXT : null].filter(Boolean).join("\n\n"),
    tags: [route.path.split("/")[2]!],
    "x-caller": who.extension,
    security: route.caller.kind === "public" ? [] : route.sessionOnly ? [{ session: [] }] : [{ session: [] }, { bearer: [] }],
  };
  const parameters = [
    ...pathParams(route.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...queryParameters(route),
  ];
  if (parameters.length) op.parameters = parameters;
  if (route.body) {
    const name = `${id[0]!.toUpperCase()}${id.slice(1)}Body`;
    components[name] = inputSchema(route.body);
    op.requestBody = { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
  }
  const answers = [route.response, ...(route.otherResponses ?? [])].map((response) => {
    const item: Json = { description: response.description };
    if (response.contentType) item.content = { [response.contentType]: { schema: response.schema ?? {} } };
    return [String(response.status), item] as const;
  });
  op.responses = { ...Object.fromEntries(answers), ...errorResponses(route) };
  return op;
}

/** Builds the OpenAPI 3.1 document from the route registry and the zod schemas the routes parse with. */
export function buildOpenApiDocument(routes: readonly RouteDoc[] = ROUTES): Json {
  const schemas: Record<string, Json> = {
    ErrorBody: {
      type: "object",
      description: "The JSON error body every API failure shares.",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message"],
          properties: {
            code: { type: "string", enum: [...Object.keys(ERROR_STATUS), BAD_ORIGIN.code] },
            message: { type: "string" },
            details: { description: "For `bad_request`, the fields that failed and why." },
          },
        },
      },
    },
    TeamWithRole: {
      type: "object",
      required: ["id", "slug", "name", "role"],
      properties: { id: { type: "string", format: "uuid" }, slug: { type: "string" }, name: { type: "string" }, role: { type: "string", enum: [...ROLES] } },
    },
  };
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route, schemas);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Factdesk HTTP API",
      version: API_VERSION,
      description: "Errors share one shape, `{ error: { code, message } }`. A desk or article you do not belong to answers 404, as an unknown one does.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The next-auth session cookie (JWT)." },
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "fdt_…",
          description: `A personal API token, created on the account page and sent as \`Authorization: Bearer fdt_…\`. It acts as its owner, within its scopes (read < write < admin, each including the ones before) and never beyond the owner's role; an action outside its scope is refused with 403. A malformed, unknown, expired or revoked token is refused with 401 (the cookie is then not consulted); each token may make ${RATE_LIMITS.apiTokenRequests.points} requests per ${RATE_LIMITS.apiTokenRequests.durationSeconds} s (429 with Retry-After). Requests with a token need no Origin header.`,
        },
      },
    },
  };
}
