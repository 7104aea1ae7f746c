import { and, eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as changePasswordRoute } from "@/app/api/account/password/route";
import { POST as signOutEverywhereRoute } from "@/app/api/account/sign-out-everywhere/route";
import { POST as collabTicketRoute } from "@/app/api/articles/[id]/collab-ticket/route";
import { GET as listTeamsRoute } from "@/app/api/teams/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/tokens/route";
import { createUser as createDbUser } from "@/db/queries/users";
import { auditEvents, users } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/credentials";
import { resetRateLimits } from "@/lib/rate-limits";
import { CLOSE_CODES } from "@/model/close-codes";
import {
  call,
  createDesk,
  createUser,
  sessionCookie,
  setRole,
  signInThroughNextAuth,
  SESSION_COOKIE,
  type CallResult,
  type Handler,
  type TestDesk,
  type TestUser,
} from "../support/api";
import { connectClient, createTextArticle, destroyAll, eventually, startCollab, tryUpgrade, type CollabHarness, type TestClient } from "../support/collab";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

let desk: TestDesk;
let server: CollabHarness;

beforeAll(async () => {
  desk = await createDesk(app, "Session Desk");
  // Open connections are checked against the database every 200 ms here.
  server = await startCollab({ db: app.db, accessCheckMs: 200 });
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => resetRateLimits());

function expectError(res: CallResult, status: number, code: string, message?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
}

/** The Set-Cookie lines of an answer for the session cookie. */
function sessionSetCookies(res: CallResult): string[] {
  return res.headers.getSetCookie().filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

/** A member of the desk, signed in twice: once through next-auth as a browser does, once more elsewhere. */
async function memberWithTwoSessions(label: string): Promise<{ user: TestUser; here: string; elsewhere: string }> {
  const user = await createUser(app, { name: `Session ${label}` });
  await setRole(app.db, { teamId: desk.team.id, userId: user.id, role: "editor" });
  const { cookie } = await signInThroughNextAuth(user.email, user.password);
  expect(cookie).not.toBeNull();
  return { user, here: cookie!, elsewhere: user.cookie };
}

const status = async (cookie: string) => (await call(listTeamsRoute as Handler, { cookie })).status;

describe("changing the password", () => {
  it("ends every other session, and this browser stays signed in with a new cookie", async () => {
    const { user, here, elsewhere } = await memberWithTwoSessions("changer");
    expect(await status(here)).toBe(200);
    expect(await status(elsewhere)).toBe(200);

    const res = await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: user.password, newPassword: "a much better password" } });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const [line] = sessionSetCookies(res);
    expect(line).toBeDefined();
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=lax/i);
    expect(line).toMatch(/; Path=\//i);
    const fresh = line!.split(";")[0]!;

    expect(await status(here)).toBe(401);
    expect(await status(elsewhere)).toBe(401);
    expect(await status(fresh)).toBe(200);
    // The new cookie is a full browser session (it may manage tokens), carrying the same person.
    expect((await call(listTokensRoute as Handler, { cookie: fresh })).status).toBe(200);
    const claims = await decode({ token: fresh.slice(SESSION_COOKIE.length + 1), secret: app.secret });
    const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
    expect(claims).toMatchObject({ uid: user.id, sub: user.id, email: user.email, name: user.name, sv: row!.sessionVersion });
    expect(row!.sessionVersion).toBe(user.sessionVersion + 1);

    // The new password signs in; the old one no longer does.
    expect((await verifyCredentials(app.db, { email: user.email, password: "a much better password", ip: "10.1.0.1" }))?.id).toBe(user.id);
    expect(await verifyCredentials(app.db, { email: user.email, password: user.password, ip: "10.1.0.1" })).toBeNull();
    expect(await app.db.$count(auditEvents, and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "auth.password_change")))).toBe(1);
  });

  it("refuses a wrong current password, changes nothing, and throttles repeated attempts", async () => {
    const { user, here, elsewhere } = await memberWithTwoSessions("guesser");
    for (let i = 0; i < 5; i++) {
      const res = await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: `wrong-${i}`, newPassword: "a much better password" } });
      expectError(res, 403, "forbidden", /current password/);
      expect(sessionSetCookies(res)).toEqual([]);
    }
    const locked = await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: user.password, newPassword: "a much better password" } });
    expectError(locked, 429, "rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await status(here)).toBe(200);
    expect(await status(elsewhere)).toBe(200);
    expect((await verifyCredentials(app.db, { email: user.email, password: user.password, ip: "10.1.0.2" }))?.id).toBe(user.id);
  });

  it("refuses a new password that is too short or unchanged", async () => {
    const { user, here } = await memberWithTwoSessions("short");
    expectError(await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: user.password, newPassword: "short" } }), 400, "bad_request");
    expectError(await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: user.password, newPassword: user.password } }), 400, "bad_request");
    expect(await status(here)).toBe(200);
  });

  it("refuses an account that signs in elsewhere (no password) with 400", async () => {
    const external = await createDbUser(app.db, { email: `oidc-${Date.now()}@example.test`, name: "Single Sign-On", passwordHash: null });
    const cookie = await sessionCookie(external, app.secret);
    expectError(await call(changePasswordRoute as Handler, { cookie, json: { currentPassword: "anything", newPassword: "a much better password" } }), 400, "bad_request", /no password/);
    expect(await status(cookie)).toBe(200);
  });

  it("refuses a cookie-authenticated change sent from another site", async () => {
    const { user, here } = await memberWithTwoSessions("forged");
    const res = await call(changePasswordRoute as Handler, {
      cookie: here,
      origin: "https://evil.example",
      json: { currentPassword: user.password, newPassword: "a much better password" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("bad_origin");
    expect(await status(here)).toBe(200);
  });
});

describe("signing out everywhere", () => {
  it("ends every session, this one included, and clears this browser's cookie; API tokens stay", async () => {
    const { user, here, elsewhere } = await memberWithTwoSessions("leaver");
    const third = await sessionCookie(user, app.secret);
    const token = await call(createTokenRoute as Handler, { cookie: here, json: { name: "bot", scopes: ["read"], expiresAt: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(token.status).toBe(201);

    const res = await call(signOutEverywhereRoute as Handler, { cookie: here, json: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const [cleared] = sessionSetCookies(res);
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    for (const cookie of [here, elsewhere, third]) expect(await status(cookie)).toBe(401);
    expect(await app.db.$count(auditEvents, and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "auth.sign_out_everywhere")))).toBe(1);
    // Tokens are not sessions: they are revoked one by one on the account page.
    expect((await call(listTeamsRoute as Handler, { origin: null, headers: { authorization: `Bearer ${token.body.secret}` } })).status).toBe(200);
  });
});

describe("live connections of a signed-out session", () => {
  async function ticketWith(cookie: string, articleId: string): Promise<string> {
    const res = await call(collabTicketRoute as Handler, { cookie, params: { id: articleId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.ticket;
  }

  it("refuses at upgrade a ticket minted before signing out everywhere", async () => {
    const { here } = await memberWithTwoSessions("late ticket");
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "Some text." });
    const ticket = await ticketWith(here, article.id);
    expect((await tryUpgrade(server.serverUrl, article.id, "body", ticket)).status).toBe("open");
    expect((await call(signOutEverywhereRoute as Handler, { cookie: here, json: {} })).status).toBe(204);
    const refused = await tryUpgrade(server.serverUrl, article.id, "body", ticket);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("closes that user's open connections within seconds of a password change, and no one else's", async () => {
    const { user, here, elsewhere } = await memberWithTwoSessions("watched");
    const article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "The minister said unemployment fell." });
    const clients: TestClient[] = [];
    try {
      // The other session's editor, which fetches a new ticket with its (soon stale) cookie on every reconnect.
      const other = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user, mint: () => ticketWith(elsewhere, article.id) });
      const colleague = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, user: desk.users.editor, mint: () => ticketWith(desk.users.editor.cookie, article.id) });
      clients.push(other, colleague);

      const res = await call(changePasswordRoute as Handler, { cookie: here, json: { currentPassword: user.password, newPassword: "a much better password" } });
      expect(res.status).toBe(204);
      await eventually(() => expect(other.closes).toContainEqual({ code: CLOSE_CODES.unauthorized, reason: "signed out" }), 5_000);
      expect(colleague.closes).toEqual([]);
      expect(colleague.provider.wsconnected).toBe(true);
      // Its old session cannot get a new ticket either.
      expect((await call(collabTicketRoute as Handler, { cookie: elsewhere, params: { id: article.id } })).status).toBe(401);
    } finally {
      destroyAll(...clients);
    }
  });
});
