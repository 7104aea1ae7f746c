import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import type { Database } from "@/db/client";
import { createTeam } from "@/db/queries/teams";
import { memberships, type Team } from "@/db/schema";
import { signUp } from "@/lib/auth/credentials";
import type { Role } from "@/model/roles";
import type { TestApp } from "./test-database";

/** next-auth's session cookie name over plain http (tests never set an https NEXTAUTH_URL). */
export const SESSION_COOKIE = "next-auth.session-token";
export const TEST_ORIGIN = "http://localhost:3000";

/**
 * Any route handler as Next calls it, whatever its path parameters (`Promise<never>` accepts every
 * handler's parameter type). Handlers without parameters (health) fit as well.
 */
export type Handler = (req: NextRequest, ctx: { params: Promise<never> }) => Promise<Response>;

/** Path parameters, by name, as the dynamic segments of the route's folder name them. */
export type RouteParams = Record<string, string>;

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  sessionVersion: number;
  /** A `Cookie` header value carrying a valid session for this user. */
  cookie: string;
}

/** Mints next-auth's encrypted JWT session cookie, shaped as lib/auth/options.ts issues it. */
export async function sessionCookie(
  user: { id: string; name: string; email: string; sessionVersion: number },
  secret: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const token = await encode({
    token: { sub: user.id, uid: user.id, sv: user.sessionVersion, name: user.name, email: user.email, ...overrides },
    secret,
  });
  return `${SESSION_COOKIE}=${token}`;
}

export interface CallOptions {
  method?: string;
  /** The request path (only used for the URL; the handler is chosen by the caller). */
  path?: string;
  params?: RouteParams;
  query?: Record<string, string>;
  /** The signed-in user; omit for an anonymous request. */
  as?: TestUser;
  /** A raw Cookie header, instead of (or without) `as`. */
  cookie?: string;
  /** Serialised as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as is; set `contentType` to go with it. */
  rawBody?: string;
  /** Sent as a streamed (chunked, undeclared-length) body; set `contentType` to go with it. */
  stream?: ReadableStream<Uint8Array>;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * The `Origin` header; the app's own origin unless given, as a browser sends it from the app's
   * pages (the API refuses cookie-authenticated state changes from other sites). `null` sends none.
   */
  origin?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
export interface CallResult<T = any> {
  status: number;
  /** The parsed JSON body; typed loosely because tests inspect arbitrary JSON. */
  body: T;
  headers: Headers;
}

/** Builds a NextRequest as Next would hand it to a route handler. */
export function buildRequest(options: CallOptions = {}): NextRequest {
  const url = new URL(options.path ?? "/api/test", TEST_ORIGIN);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(options.headers);
  const cookie = options.cookie ?? options.as?.cookie;
  if (cookie) headers.set("cookie", cookie);
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  if (origin !== null && !headers.has("origin")) headers.set("origin", origin);
  let body: string | ReadableStream<Uint8Array> | undefined;
  if (options.stream) {
    body = options.stream;
    if (options.contentType) headers.set("content-type", options.contentType);
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("content-type", options.contentType ?? "application/json");
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
    if (options.contentType) headers.set("content-type", options.contentType);
  }
  const method = options.method ?? (body === undefined ? "GET" : "POST");
  // A stream body needs half-duplex mode, which Node's fetch types do not declare.
  const init = { method, headers, body, ...(options.stream ? { duplex: "half" } : {}) };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

/** Calls a route handler directly and reads its JSON answer (null for an empty body). */
export async function call(handler: Handler, options: CallOptions = {}): Promise<CallResult> {
  const req = buildRequest(options);
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) as Promise<never> });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, headers: res.headers };
}

let userCounter = 0;

/** A unique email for this test file. */
export function uniqueEmail(label = "user"): string {
  userCounter += 1;
  return `${label}-${userCounter}-${randomBytes(3).toString("hex")}@example.test`;
}

/** Signs a user up (argon2id and all) and mints a session cookie for them. */
export async function createUser(
  app: TestApp,
  params: { name?: string; email?: string; password?: string } = {},
): Promise<TestUser> {
  const password = params.password ?? `pw-${randomBytes(8).toString("hex")}`;
  const user = await signUp(app.db, {
    name: params.name ?? "Test User",
    email: params.email ?? uniqueEmail(),
    password,
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    password,
    sessionVersion: user.sessionVersion,
    cookie: await sessionCookie(user, app.secret),
  };
}

/** Gives a user a role on a desk, replacing any role they had. */
export async function setRole(db: Database, params: { teamId: string; userId: string; role: Role }): Promise<void> {
  await db
    .insert(memberships)
    .values(params)
    .onConflictDoUpdate({ target: [memberships.teamId, memberships.userId], set: { role: params.role } });
}

export interface TestDesk {
  team: Team;
  /** One member per role; `owner` created the desk. */
  users: Record<Role, TestUser>;
  /** Signed up but not a member of this desk. */
  outsider: TestUser;
}

/** Creates a desk with one member per role plus an outsider. */
export async function createDesk(app: TestApp, name = "Desk"): Promise<TestDesk> {
  const label = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const make = (role: string) => createUser(app, { name: `${name} ${role}`, email: uniqueEmail(`${label}-${role}`) });
  const [owner, editor, checker, commenter, viewer, outsider] = await Promise.all(
    ["owner", "editor", "checker", "commenter", "viewer", "outsider"].map(make),
  );
  const team = await createTeam(app.db, { name, ownerId: owner!.id });
  const users: Record<Role, TestUser> = { owner: owner!, editor: editor!, checker: checker!, commenter: commenter!, viewer: viewer! };
  for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
    await setRole(app.db, { teamId: team.id, userId: users[role].id, role });
  }
  return { team, users, outsider: outsider! };
}

export interface NextAuthResult {
  status: number;
  body: unknown;
  /** Cookies the response sets, by name. */
  cookies: Map<string, string>;
  location?: string;
}

/**
 * Drives next-auth itself (its pages-router entry point, which needs no Next request context) with the
 * app's real options, so that tests can sign in the way the browser does.
 */
export async function nextAuthRequest(params: {
  action: string[];
  method: "GET" | "POST";
  body?: Record<string, string>;
  cookies?: Map<string, string>;
}): Promise<NextAuthResult> {
  const [{ default: NextAuth }, { authOptions }] = await Promise.all([import("next-auth"), import("@/lib/auth/options")]);
  const headers: Record<string, unknown> = {};
  let status = 200;
  let body: unknown;
  const res = {
    status(code: number) {
      status = code;
      return res;
    },
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
    json(data: unknown) {
      body = data;
      return res;
    },
    send(data: unknown) {
      body = data;
      return res;
    },
    end() {
      return res;
    },
  };
  const req = {
    method: params.method,
    query: { nextauth: params.action },
    body: params.body ?? {},
    cookies: Object.fromEntries(params.cookies ?? []),
    headers: { host: new URL(TEST_ORIGIN).host, "x-forwarded-for": "192.0.2.10" },
  };
  // The two-argument-plus-options form is next-auth's documented pages-router handler.
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<unknown>)(req, res, authOptions());
  const cookies = new Map<string, string>();
  const setCookie = headers["set-cookie"];
  for (const line of Array.isArray(setCookie) ? (setCookie as string[]) : setCookie ? [String(setCookie)] : []) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    cookies.set(pair!.slice(0, eq), decodeURIComponent(pair!.slice(eq + 1)));
  }
  return { status, body, cookies, location: headers.location as string | undefined };
}

/** Signs in through next-auth's credentials provider; returns the Cookie header, or null when refused. */
export async function signInThroughNextAuth(email: string, password: string): Promise<{ cookie: string | null; result: NextAuthResult }> {
  const csrf = await nextAuthRequest({ action: ["csrf"], method: "GET" });
  const csrfToken = (csrf.body as { csrfToken: string }).csrfToken;
  const result = await nextAuthRequest({
    action: ["callback", "credentials"],
    method: "POST",
    body: { csrfToken, email, password, json: "true" },
    cookies: csrf.cookies,
  });
  const session = result.cookies.get(SESSION_COOKIE);
  return { cookie: session ? `${SESSION_COOKIE}=${session}` : null, result };
}
