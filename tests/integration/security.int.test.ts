import { beforeAll, describe, expect, it } from "vitest";
import { POST as postTicket } from "@/app/api/articles/[id]/collab-ticket/route";
import { POST as signupRoute } from "@/app/api/signup/route";
import { DELETE as revokeInviteRoute } from "@/app/api/teams/[team]/invites/[inviteId]/route";
import { POST as createInviteRoute } from "@/app/api/teams/[team]/invites/route";
import { DELETE as removeMemberRoute } from "@/app/api/teams/[team]/members/[userId]/route";
import { GET as listTeamsRoute, POST as createTeamRoute } from "@/app/api/teams/route";
import { createArticle } from "@/db/queries/articles";
import { resetEnv } from "@/lib/env";
import { call, createDesk, createUser, TEST_ORIGIN, uniqueEmail, type CallResult, type TestDesk } from "../support/api";
import { useTestApp } from "../support/test-database";
import { expectRateLimited, useLowerableRateLimits } from "../support/rate-limits";

const app = useTestApp();

let desk: TestDesk;
let articleId: string;

beforeAll(async () => {
  desk = await createDesk(app, "Security Desk");
  articleId = (
    await createArticle(app.db, {
      teamId: desk.team.id,
      createdBy: desk.users.editor.id,
      article: { title: "Story", content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Text." }] }] } },
    })
  ).id;
});

function expectError(res: CallResult, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body?.error?.code).toBe(code);
  expect(typeof res.body?.error?.message).toBe("string");
}

const newTeam = () => ({ name: `Desk ${uniqueEmail("t").slice(0, 12)}` });

describe("origin check on cookie-authenticated state changes", () => {
  it("refuses a cross-origin POST that carries a session cookie, before the handler runs", async () => {
    const team = newTeam();
    const res = await call(createTeamRoute, { as: desk.users.owner, json: team, origin: "https://evil.example" });
    expectError(res, 403, "bad_origin");
    const teams = await call(listTeamsRoute, { as: desk.users.owner });
    expect(teams.body.teams.map((t: { name: string }) => t.name)).not.toContain(team.name);
  });

  it("refuses cross-origin DELETE and the opaque `null` origin too", async () => {
    const target = desk.users.viewer;
    const del = await call(removeMemberRoute, {
      method: "DELETE",
      as: desk.users.owner,
      params: { team: desk.team.slug, userId: target.id },
      origin: "http://localhost:3001",
    });
    expectError(del, 403, "bad_origin");
    const opaque = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: "null" });
    expectError(opaque, 403, "bad_origin");
    // An invite revocation from elsewhere is refused as well (a made-up id: the guard answers first).
    const revoke = await call(revokeInviteRoute, {
      method: "DELETE",
      as: desk.users.owner,
      params: { team: desk.team.slug, inviteId: "00000000-0000-4000-8000-000000000000" },
      origin: "https://evil.example",
    });
    expectError(revoke, 403, "bad_origin");
  });

  it("accepts the app's own origin", async () => {
    const res = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: TEST_ORIGIN });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("accepts the host a proxy forwarded, and NEXTAUTH_URL's", async () => {
    const forwarded = await call(createTeamRoute, {
      as: desk.users.owner,
      json: newTeam(),
      origin: "https://desk.example.org",
      headers: { "x-forwarded-host": "desk.example.org" },
    });
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(201);

    const before = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "http://public.example.org";
    resetEnv();
    try {
      const configured = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: "http://public.example.org" });
      expect(configured.status, JSON.stringify(configured.body)).toBe(201);
    } finally {
      process.env.NEXTAUTH_URL = before;
      resetEnv();
    }
  });

  it("refuses a browser's request without Origin unless Sec-Fetch-Site says same-origin; a non-browser client passes", async () => {
    const client = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: null });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const crossSite = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: null, headers: { "sec-fetch-site": "cross-site" } });
    expectError(crossSite, 403, "bad_origin");
    const sameOrigin = await call(createTeamRoute, { as: desk.users.owner, json: newTeam(), origin: null, headers: { "sec-fetch-site": "same-origin" } });
    expect(sameOrigin.status, JSON.stringify(sameOrigin.body)).toBe(201);
  });

  it("leaves requests without a session cookie alone, and reads with one", async () => {
    // Anonymous: the handler answers as it always did (401 here, 201 for a sign-up).
    expectError(await call(createTeamRoute, { json: newTeam(), origin: "https://evil.example" }), 401, "unauthorized");
    const signup = await call(signupRoute, {
      json: { name: "Cross", email: uniqueEmail("cross"), password: "long enough password" },
      origin: "https://evil.example",
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    // A GET is no state change.
    const list = await call(listTeamsRoute, { as: desk.users.owner, origin: "https://evil.example" });
    expect(list.status).toBe(200);
  });
});

describe("rate limits", () => {
  const lower = useLowerableRateLimits();

  it("limits sign-ups per client address", async () => {
    lower("signUpPerAddress", 2);
    const signup = (address: string) =>
      call(signupRoute, {
        json: { name: "Many", email: uniqueEmail("many"), password: "long enough password" },
        headers: { "x-forwarded-for": address },
      });
    expect((await signup("198.51.100.7")).status).toBe(201);
    expect((await signup("198.51.100.7, 10.0.0.1")).status).toBe(201);
    expectRateLimited(await signup("198.51.100.7"));
    // Another address has its own allowance.
    expect((await signup("198.51.100.8")).status).toBe(201);
  });

  it("limits invites per desk", async () => {
    lower("invitesPerDesk", 2);
    const invite = () => call(createInviteRoute, { as: desk.users.owner, params: { team: desk.team.slug }, json: { role: "viewer" } });
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(201);
    expectRateLimited(await invite());
  });

  it("limits invites per person, across desks", async () => {
    lower("invitesPerUser", 2);
    const owner = await createUser(app, { name: "Busy owner" });
    const slugs: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const team = await call(createTeamRoute, { as: owner, json: newTeam() });
      expect(team.status).toBe(201);
      slugs.push(team.body.team.slug);
    }
    const invite = (slug: string) => call(createInviteRoute, { as: owner, params: { team: slug }, json: { role: "viewer" } });
    expect((await invite(slugs[0]!)).status).toBe(201);
    expect((await invite(slugs[1]!)).status).toBe(201);
    expectRateLimited(await invite(slugs[1]!));
    // The desk's own owner is not held back by someone else's count.
    expect((await call(createInviteRoute, { as: desk.users.owner, params: { team: desk.team.slug }, json: { role: "viewer" } })).status).toBe(201);
  });

  it("limits collaboration tickets per person", async () => {
    lower("collabTicketsPerUser", 2);
    const ticket = (as = desk.users.viewer) => call(postTicket, { method: "POST", as, params: { id: articleId } });
    expect((await ticket()).status).toBe(200);
    expect((await ticket()).status).toBe(200);
    expectRateLimited(await ticket());
    expect((await ticket(desk.users.editor)).status).toBe(200);
  });

  it("counts only tickets actually minted", async () => {
    lower("collabTicketsPerUser", 1);
    // An outsider is refused by the policy before anything is counted, so the second refusal is a 404 too.
    expect((await call(postTicket, { method: "POST", as: desk.outsider, params: { id: articleId } })).status).toBe(404);
    expect((await call(postTicket, { method: "POST", as: desk.outsider, params: { id: articleId } })).status).toBe(404);
  });
});

/**
 * Drives next-auth's pages-router handler with the app's options and returns the raw Set-Cookie lines
 * (tests/support/api.ts keeps only names and values; the attributes are what matters here).
 */
async function nextAuth(params: { action: string[]; method: "GET" | "POST"; body?: Record<string, string>; cookies?: Record<string, string> }) {
  const [{ default: NextAuth }, { authOptions }] = await Promise.all([import("next-auth"), import("@/lib/auth/options")]);
  const headers: Record<string, unknown> = {};
  let body: unknown;
  const res = {
    status: () => res,
    setHeader: (name: string, value: unknown) => ((headers[name.toLowerCase()] = value), res),
    getHeader: (name: string) => headers[name.toLowerCase()],
    json: (data: unknown) => ((body = data), res),
    send: (data: unknown) => ((body = data), res),
    end: () => res,
  };
  const req = {
    method: params.method,
    query: { nextauth: params.action },
    body: params.body ?? {},
    cookies: params.cookies ?? {},
    headers: { host: "localhost:3000", "x-forwarded-for": "192.0.2.20" },
  };
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<unknown>)(req, res, authOptions());
  const raw = headers["set-cookie"];
  const lines = Array.isArray(raw) ? (raw as string[]) : raw ? [String(raw)] : [];
  const cookies = Object.fromEntries(lines.map((l) => l.split(";")[0]!.split("=")).map(([k, ...v]) => [k!, decodeURIComponent(v.join("="))]));
  return { body, lines, cookies };
}

async function signInLines(): Promise<string[]> {
  const user = await createUser(app, { name: "Cookie person" });
  const csrf = await nextAuth({ action: ["csrf"], method: "GET" });
  const { csrfToken } = csrf.body as { csrfToken: string };
  const signIn = await nextAuth({
    action: ["callback", "credentials"],
    method: "POST",
    body: { csrfToken, email: user.email, password: user.password, json: "true" },
    cookies: csrf.cookies,
  });
  return signIn.lines;
}

function attributes(line: string): Set<string> {
  return new Set(line.split(";").slice(1).map((a) => a.trim().toLowerCase()));
}

describe("session cookies", () => {
  it("are HttpOnly and SameSite=Lax, and not Secure over plain http", async () => {
    const session = (await signInLines()).find((l) => l.startsWith("next-auth.session-token="));
    expect(session).toBeDefined();
    const attrs = attributes(session!);
    expect(attrs.has("httponly")).toBe(true);
    expect(attrs.has("samesite=lax")).toBe(true);
    expect(attrs.has("secure")).toBe(false);
  });

  it("are Secure, under their __Secure- name, when NEXTAUTH_URL is https", async () => {
    const before = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://desk.example.org";
    resetEnv();
    try {
      const lines = await signInLines();
      const session = lines.find((l) => l.startsWith("__Secure-next-auth.session-token="));
      expect(session, lines.join("\n")).toBeDefined();
      const attrs = attributes(session!);
      expect(attrs.has("httponly")).toBe(true);
      expect(attrs.has("samesite=lax")).toBe(true);
      expect(attrs.has("secure")).toBe(true);
      expect(lines.some((l) => l.startsWith("next-auth.session-token="))).toBe(false);
    } finally {
      process.env.NEXTAUTH_URL = before;
      resetEnv();
    }
  });
});
