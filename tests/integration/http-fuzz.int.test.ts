import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createInvite } from "@/db/queries/invites";
import { users } from "@/db/schema";
import { ROUTES, type RouteDoc } from "@/lib/openapi/routes";
import { createRevision } from "@/lib/revisions";
import { LIMITS } from "@/model/limits";
import { call, createDesk, sessionCookie, setRole, type CallOptions, type CallResult, type Handler, type TestDesk, type TestUser } from "../support/api";
import { createTextArticle } from "../support/collab";
import { apiRouteFiles, bodyArbitrary, paramArbitrary, queryArbitrary, type FuzzBody } from "../support/http-fuzz";
import { useTestApp } from "../support/test-database";

/**
 * Fuzzing the HTTP API: every route of lib/openapi/routes.ts (new ones included, as they are added
 * there) gets random and malformed bodies, path parameters and query strings. No answer may be a 5xx,
 * and every 4xx must carry the JSON error shape. Replay a failure with FACTDESK_FUZZ_SEED=<seed>.
 */

const app = useTestApp();

const SEED = Number(process.env.FACTDESK_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Property runs per route; each run is one request (FACTDESK_FUZZ_RUNS raises it for a deeper local run). */
const RUNS_PER_ROUTE = Number(process.env.FACTDESK_FUZZ_RUNS ?? 30);
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Routes that cannot be called like the others, and why. The test checks that each still exists. */
const EXCLUDED: Record<string, string> = {
  "GET /api/auth/{nextauth}":
    "next-auth's own catch-all: it needs Next's request scope (headers(), cookies()) and answers in next-auth's shapes (redirects, HTML forms), as its route entry documents. tests/integration/auth.int.test.ts drives it.",
  "POST /api/auth/{nextauth}": "next-auth's own catch-all (see GET).",
};

const routeKey = (route: Pick<RouteDoc, "method" | "path">) => `${route.method} ${route.path}`;
const FUZZED = ROUTES.filter((route) => !(routeKey(route) in EXCLUDED));

const errorShape = z.object({ error: z.object({ code: z.string().min(1), message: z.string().min(1) }) });

let desk: TestDesk;
/** Values that make each named path parameter point at something real, so handlers go past their lookups (the invite's are renewed per route). */
let knownParams: Record<string, string[]>;

beforeAll(async () => {
  console.info(`http fuzz seed: ${SEED} (replay with FACTDESK_FUZZ_SEED=${SEED})`);
  desk = await createDesk(app, "Http Fuzz Desk");
  const { owner, editor, viewer } = desk.users;
  const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: editor.id, text: "The minister said unemployment fell by 40 percent.\n\nA second paragraph." });
  await createRevision(app.db, { teamId: desk.team.id, articleId: article.id, kind: "named", reason: "named", label: "Fuzz base", createdBy: owner.id });
  knownParams = {
    team: [desk.team.slug],
    id: [article.id],
    userId: [editor.id, viewer.id, owner.id],
    claimId: ["claim-00000001"],
    rev: ["1", "current"],
    // A parameter that a newer route names differently still gets real ids to work with.
    "": [desk.team.slug, desk.team.id, article.id, editor.id],
  };
});

afterAll(() => {
  const lines = [...statuses].map(([route, counts]) => `${route}: ${[...counts].map(([code, n]) => `${code}×${n}`).join(", ")}`);
  console.info(`http fuzz answers (seed ${SEED}):\n${lines.join("\n")}`);
});

// Routes fuzzed earlier may have ended the callers' sessions (signing out everywhere, changing the
// password), removed or demoted members, or revoked the invite; each route starts from the same desk.
beforeEach(async () => {
  for (const role of ["owner", "editor", "checker", "commenter", "viewer"] as const) await setRole(app.db, { teamId: desk.team.id, userId: desk.users[role].id, role });
  const { invite, token } = await createInvite(app.db, { teamId: desk.team.id, role: "viewer", expiresInDays: 7, createdBy: desk.users.owner.id });
  knownParams.inviteId = [invite.id];
  knownParams.token = [token];
  for (const user of [desk.users.owner, desk.users.viewer, desk.outsider]) {
    const [row] = await app.db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    user.sessionVersion = row!.sessionVersion;
    user.cookie = await sessionCookie(user, app.secret);
  }
});

/** A path parameter's name list, in template order. */
function paramNames(route: RouteDoc): string[] {
  return [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be percent-encoded; the path is only the request's URL here.
    return "x";
  }
}

interface Input {
  params: Record<string, string>;
  query: Record<string, string>;
  body: FuzzBody | undefined;
  caller: "owner" | "viewer" | "outsider" | "anonymous";
  origin: string | null | undefined;
}

function userFor(caller: Input["caller"]): TestUser | undefined {
  if (caller === "anonymous") return undefined;
  return caller === "outsider" ? desk.outsider : desk.users[caller];
}

function callRoute(handler: Handler, route: RouteDoc, input: Input, extra: Partial<CallOptions> = {}): Promise<CallResult> {
  const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeSegment(input.params[name] ?? ""));
  const body: Partial<CallOptions> =
    input.body === undefined ? {} : input.body.kind === "json" ? { json: input.body.value } : { rawBody: input.body.text, contentType: input.body.contentType };
  return call(handler, { method: route.method, path, params: input.params, query: input.query, as: userFor(input.caller), origin: input.origin, ...body, ...extra });
}

/** Describes an input briefly, for failure messages. */
function describeInput(input: Input): string {
  const text = JSON.stringify(input, (_k, v: unknown) => (typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v));
  return text.length > 1_500 ? `${text.slice(0, 1_500)}…` : text;
}

/** Answers by route and status, printed at the end so that a run shows how deep it went. */
const statuses = new Map<string, Map<string, number>>();

/** No 5xx; every 4xx is JSON of the shape { error: { code, message } }. */
function expectWellFormed(route: RouteDoc, res: CallResult, what: string): void {
  const counts = statuses.get(routeKey(route)) ?? new Map<string, number>();
  statuses.set(routeKey(route), counts);
  const code = res.status >= 400 ? `${res.status} ${(res.body as { error?: { code?: string } } | null)?.error?.code ?? "?"}` : String(res.status);
  counts.set(code, (counts.get(code) ?? 0) + 1);
  const label = `${routeKey(route)} answered ${res.status} to ${what}: ${JSON.stringify(res.body)?.slice(0, 500)} (seed ${SEED})`;
  expect(res.status, label).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("content-type") ?? "", label).toMatch(/^application\/json/);
    expect(errorShape.safeParse(res.body).success, label).toBe(true);
  }
}

async function handlerFor(route: RouteDoc): Promise<Handler> {
  const file = apiRouteFiles().get(route.path);
  expect(file, `no route file for ${route.path}`).toBeDefined();
  const mod = (await import(/* @vite-ignore */ file!)) as Record<string, unknown>;
  const handler = mod[route.method];
  expect(typeof handler, `${file} exports no ${route.method}`).toBe("function");
  return handler as Handler;
}

describe("the route list", () => {
  it("excludes only routes that exist, each with its reason, and fuzzes all the others", () => {
    const keys = new Set(ROUTES.map(routeKey));
    for (const [key, reason] of Object.entries(EXCLUDED)) {
      expect(keys.has(key), `excluded route ${key} is not in lib/openapi/routes.ts`).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
    expect(FUZZED.length + Object.keys(EXCLUDED).length).toBe(ROUTES.length);
    expect(FUZZED.length).toBeGreaterThan(20);
  });
});

describe("fuzzing the HTTP API: no 5xx, and every 4xx in the JSON error shape", () => {
  it.each(FUZZED.map((route) => [routeKey(route), route] as const))(
    "%s",
    async (_key, route) => {
      const handler = await handlerFor(route);
      const hasBody = METHODS_WITH_BODY.has(route.method);
      const params = Object.fromEntries(paramNames(route).map((name) => [name, paramArbitrary(knownParams[name] ?? knownParams[""]!)]));
      const input: fc.Arbitrary<Input> = fc.record({
        params: fc.record(params),
        query: queryArbitrary(route.query),
        body: hasBody ? bodyArbitrary(route.body) : fc.constant(undefined),
        caller: fc.oneof(
          { weight: 7, arbitrary: fc.constant("owner" as const) },
          { weight: 2, arbitrary: fc.constant("anonymous" as const) },
          { weight: 1, arbitrary: fc.constantFrom("viewer" as const, "outsider" as const) },
        ),
        origin: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(null, "https://evil.example", "null") }),
      });
      await fc.assert(
        fc.asyncProperty(input, async (i) => {
          expectWellFormed(route, await callRoute(handler, route, i), describeInput(i));
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE },
      );

      if (!hasBody) return;
      // Bodies over the limit, declared up front and streamed without a declared length.
      const real: Input = { params: Object.fromEntries(paramNames(route).map((name) => [name, (knownParams[name] ?? knownParams[""]!)[0]!])), query: {}, body: undefined, caller: "owner", origin: undefined };
      const huge = `"${"x".repeat(LIMITS.requestBodyBytes)}"`;
      const declared = await callRoute(handler, route, real, { rawBody: huge, contentType: "application/json", headers: { "content-length": String(huge.length) } });
      expectWellFormed(route, declared, "a declared oversized body");
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > LIMITS.requestBodyBytes) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const streamed = await callRoute(handler, route, real, { stream, contentType: "application/json" });
      expectWellFormed(route, streamed, "a streamed oversized body");
    },
    120_000,
  );
});
