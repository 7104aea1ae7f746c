import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { POST as nextAuthRoute } from "@/app/api/auth/[...nextauth]/route";
import { POST as signupRoute } from "@/app/api/signup/route";
import { POST as createTeamRoute, GET as teamsRoute } from "@/app/api/teams/route";
import { auditEvents, memberships, users } from "@/db/schema";
import { signUp, verifyCredentials } from "@/lib/auth/credentials";
import { isAppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/passwords";
import { call, createUser, sessionCookie, signInThroughNextAuth, TEST_ORIGIN, uniqueEmail } from "../support/api";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error), `expected an AppError "${code}", got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe("sign-up", () => {
  it("stores an argon2id hash, never the password, and lower-cases the email", async () => {
    const password = "correct horse battery";
    const email = uniqueEmail("MiXeD.Case").replace("example.test", "Example.TEST");
    const user = await signUp(app.db, { name: "Ada", email, password });
    const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.email).toBe(email.toLowerCase());
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(password);
    expect(await verifyPassword(row!.passwordHash!, password)).toBe(true);
    expect(await verifyPassword(row!.passwordHash!, "something else")).toBe(false);
    const events = await app.db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
    expect(events.map((e) => e.action)).toContain("auth.sign_up");
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const email = uniqueEmail("dup");
    await signUp(app.db, { name: "First", email, password: "first-password-1" });
    await expectAppError(signUp(app.db, { name: "Second", email: email.toUpperCase(), password: "second-password-2" }), "conflict");
    const rows = await app.db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe("First");
  });
});

describe("sign-in with email and password", () => {
  it("returns the user for the right password, null for a wrong one or an unknown email", async () => {
    const user = await createUser(app, { password: "the-right-password" });
    const ok = await verifyCredentials(app.db, { email: user.email.toUpperCase(), password: "the-right-password", ip: "10.0.0.1" });
    expect(ok?.id).toBe(user.id);
    expect(await verifyCredentials(app.db, { email: user.email, password: "the-wrong-password", ip: "10.0.0.1" })).toBeNull();
    expect(await verifyCredentials(app.db, { email: uniqueEmail("nobody"), password: "the-right-password", ip: "10.0.0.1" })).toBeNull();
    expect(await verifyCredentials(app.db, { email: "not an email", password: 42, ip: "10.0.0.1" })).toBeNull();
  });

  it("locks an account after five failures, even against the right password", async () => {
    const user = await createUser(app, { password: "the-right-password" });
    for (let i = 0; i < 5; i++) {
      expect(await verifyCredentials(app.db, { email: user.email, password: `wrong-${i}`, ip: "10.0.0.2" })).toBeNull();
    }
    await expectAppError(verifyCredentials(app.db, { email: user.email, password: "the-right-password", ip: "10.0.0.3" }), "rate_limited");
    // The lock is per account: another account from the same address still signs in.
    const other = await createUser(app, { password: "another-password" });
    expect((await verifyCredentials(app.db, { email: other.email, password: "another-password", ip: "10.0.0.2" }))?.id).toBe(other.id);
  });

  it("answers a locked-out sign-in through the app's next-auth route with 429, Retry-After and the JSON error shape", async () => {
    const user = await createUser(app, { password: "the-right-password" });
    for (let i = 0; i < 5; i++) await verifyCredentials(app.db, { email: user.email, password: `wrong-${i}`, ip: "10.0.0.4" });
    const form = new URLSearchParams({ email: user.email.toUpperCase(), password: "the-right-password", csrfToken: "x", json: "true" });
    const req = new NextRequest(`${TEST_ORIGIN}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    const res = await nextAuthRoute(req, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string; message: string }; url: string };
    expect(body.error.code).toBe("rate_limited");
    // next-auth's client reads the error from `url`, so the sign-in form shows the same message.
    expect(new URL(body.url).searchParams.get("error")).toBe(body.error.message);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const user = await createUser(app, { password: "the-right-password" });
    for (let i = 0; i < 4; i++) await verifyCredentials(app.db, { email: user.email, password: `wrong-${i}`, ip: "10.0.0.4" });
    expect((await verifyCredentials(app.db, { email: user.email, password: "the-right-password", ip: "10.0.0.4" }))?.id).toBe(user.id);
    for (let i = 0; i < 4; i++) await verifyCredentials(app.db, { email: user.email, password: `wrong-again-${i}`, ip: "10.0.0.4" });
    expect((await verifyCredentials(app.db, { email: user.email, password: "the-right-password", ip: "10.0.0.4" }))?.id).toBe(user.id);
  });
});

describe("POST /api/signup", () => {
  it("creates an account (201) without echoing the password", async () => {
    const email = uniqueEmail("api");
    const res = await call(signupRoute, { json: { name: "  Grace  ", email, password: "a-long-password" } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, name: "Grace" });
    expect(JSON.stringify(res.body)).not.toContain("a-long-password");
    const [row] = await app.db.select().from(users).where(eq(users.email, email));
    expect(row?.id).toBe(res.body.user.id);
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("answers 400 for malformed JSON and for bodies that fail validation", async () => {
    const malformed = await call(signupRoute, { rawBody: '{"name": "x", "email":', contentType: "application/json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("bad_request");
    for (const json of [
      { name: "Short", email: uniqueEmail(), password: "short" },
      { name: "Bad email", email: "not-an-email", password: "a-long-password" },
      { name: "", email: uniqueEmail(), password: "a-long-password" },
      { email: uniqueEmail(), password: "a-long-password" },
      ["not", "an", "object"],
    ]) {
      const res = await call(signupRoute, { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
  });

  it("answers 409 for an email that is taken", async () => {
    const email = uniqueEmail("taken");
    expect((await call(signupRoute, { json: { name: "One", email, password: "a-long-password" } })).status).toBe(201);
    const res = await call(signupRoute, { json: { name: "Two", email: email.toUpperCase(), password: "another-password" } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
  });

  it("answers 415 for a body that is not JSON", async () => {
    const email = uniqueEmail("form");
    const res = await call(signupRoute, {
      rawBody: new URLSearchParams({ name: "Form", email, password: "a-long-password" }).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    expect(await app.db.$count(users, eq(users.email, email))).toBe(0);
  });
});

describe("session cookies", () => {
  it("accepts a current session and rejects a missing, forged or stale one with 401", async () => {
    const user = await createUser(app);
    expect((await call(teamsRoute, { as: user })).status).toBe(200);

    const anonymous = await call(teamsRoute);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthorized");

    const forged = await sessionCookie(user, "some-other-secret-entirely-000000");
    expect((await call(teamsRoute, { cookie: forged })).status).toBe(401);
    expect((await call(teamsRoute, { cookie: `next-auth.session-token=garbage` })).status).toBe(401);

    // Bumping the session version signs the user out everywhere.
    await app.db.update(users).set({ sessionVersion: user.sessionVersion + 1 }).where(eq(users.id, user.id));
    const stale = await call(teamsRoute, { as: user });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe("unauthorized");
    const fresh = await sessionCookie({ ...user, sessionVersion: user.sessionVersion + 1 }, app.secret);
    expect((await call(teamsRoute, { cookie: fresh })).status).toBe(200);
  });

  it("rejects a session for a user that no longer exists, or one without a user id", async () => {
    const user = await createUser(app);
    const noUid = await sessionCookie(user, app.secret, { uid: undefined });
    expect((await call(teamsRoute, { cookie: noUid })).status).toBe(401);
    await app.db.delete(users).where(eq(users.id, user.id));
    expect((await call(teamsRoute, { as: user })).status).toBe(401);
  });
});

describe("signing in through next-auth", () => {
  it("issues a session cookie that the API accepts, and records the sign-in", async () => {
    const user = await createUser(app, { name: "Nell NextAuth", password: "next-auth-password" });
    const { cookie, result } = await signInThroughNextAuth(user.email.toUpperCase(), "next-auth-password");
    expect(cookie, JSON.stringify(result.body)).not.toBeNull();
    const me = await call(teamsRoute, { cookie: cookie! });
    expect(me.status).toBe(200);
    // The token carries the user id and session version that requireUser checks.
    const team = await call(createTeamRoute, { cookie: cookie!, json: { name: "Nell's desk" } });
    expect(team.status).toBe(201);
    const [member] = await app.db.select().from(memberships).where(eq(memberships.teamId, team.body.team.id));
    expect(member?.userId).toBe(user.id);
    const signIns = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "auth.sign_in")));
    expect(signIns).toHaveLength(1);
    expect(signIns[0]?.data).toEqual({ provider: "credentials" });

    // Bumping the session version ends that session.
    await app.db.update(users).set({ sessionVersion: 5 }).where(eq(users.id, user.id));
    expect((await call(teamsRoute, { cookie: cookie! })).status).toBe(401);
  });

  it("issues no session for a wrong password", async () => {
    const user = await createUser(app, { password: "next-auth-password" });
    const { cookie, result } = await signInThroughNextAuth(user.email, "not-the-password");
    expect(cookie).toBeNull();
    expect(JSON.stringify(result.body)).toContain("error");
    expect(await app.db.$count(auditEvents, and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "auth.sign_in")))).toBe(0);
  });
});
