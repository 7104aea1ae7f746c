import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as collabTicketRoute } from "@/app/api/articles/[id]/collab-ticket/route";
import { POST as changePasswordRoute } from "@/app/api/account/password/route";
import { POST as signOutEverywhereRoute } from "@/app/api/account/sign-out-everywhere/route";
import { POST as acceptInviteRoute } from "@/app/api/invites/[token]/accept/route";
import { GET as listArticlesRoute, POST as importArticleRoute } from "@/app/api/teams/[team]/articles/route";
import { GET as auditRoute } from "@/app/api/teams/[team]/audit/route";
import { POST as createInviteRoute } from "@/app/api/teams/[team]/invites/route";
import { PATCH as changeRoleRoute } from "@/app/api/teams/[team]/members/[userId]/route";
import { GET as getSettingsRoute, PUT as putSettingsRoute } from "@/app/api/teams/[team]/settings/route";
import { GET as listTeamsRoute, POST as createTeamRoute } from "@/app/api/teams/route";
import { DELETE as revokeTokenRoute } from "@/app/api/tokens/[id]/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/tokens/route";
import { LAST_USED_RESOLUTION_MS, touchApiToken } from "@/db/queries/api-tokens";
import { apiTokens, auditEvents } from "@/db/schema";
import { verifyTicket } from "@/lib/tickets";
import type { ApiScope } from "@/model/permissions";
import { call, createDesk, type CallOptions, type CallResult, type Handler, type TestDesk, type TestUser } from "../support/api";
import { connectClient, createTextArticle, destroyAll, eventually, insertIntoParagraph, startCollab, storedDoc, bodyText, type CollabHarness, type TestClient } from "../support/collab";
import { useTestApp } from "../support/test-database";
import { expectRateLimited, useLowerableRateLimits } from "../support/rate-limits";

const app = useTestApp();

let desk: TestDesk;

beforeAll(async () => {
  desk = await createDesk(app, "Token Desk");
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Creates a token through the API as the user (with their browser session) and returns its secret and id. */
async function createToken(user: TestUser, scopes: ApiScope[], name = "Integration"): Promise<{ secret: string; id: string; res: CallResult }> {
  const res = await call(createTokenRoute as Handler, { as: user, json: { name, scopes, expiresAt: inDays(30) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { secret: res.body.secret, id: res.body.token.id, res };
}

/** Calls a route with a bearer token only: no cookie, and no Origin, as a server-side integration sends it. */
function withToken(handler: Handler, secret: string, options: CallOptions = {}): Promise<CallResult> {
  return call(handler, { ...options, origin: null, headers: { ...options.headers, authorization: `Bearer ${secret}` } });
}

function expectError(res: CallResult, status: number, code: string, message?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
}

const article = (title = "From the CMS") => ({ title, format: "text", content: "The minister said unemployment fell by half." });

describe("creating and listing tokens", () => {
  it("shows the secret once: the list never carries it, and only its hash is stored", async () => {
    const user = desk.users.checker;
    const { secret, id, res } = await createToken(user, ["write"], "Newsroom CMS");
    expect(secret).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
    expect(res.body.token).toMatchObject({ id, name: "Newsroom CMS", scopes: ["read", "write"], lastUsedAt: null, expired: false });
    expect(secret.startsWith(res.body.token.prefix)).toBe(true);
    expect(res.body.token.prefix.length).toBeGreaterThanOrEqual(10);
    expect(res.body.token.prefix.length).toBeLessThan(secret.length / 2);
    expect(res.headers.get("cache-control")).toBe("no-store");

    const list = await call(listTokensRoute as Handler, { as: user });
    expect(list.status).toBe(200);
    const listed = list.body.tokens.find((t: { id: string }) => t.id === id);
    expect(Object.keys(listed).sort()).toEqual(["createdAt", "expired", "expiresAt", "id", "lastUsedAt", "name", "prefix", "scopes"]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(res.body.token.prefix.length));

    const [row] = await app.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.tokenHash).not.toBe(secret);
    expect(row!.tokenHash).not.toContain(secret.slice(4));
    expect(row!.tokenHash).toBe(createHash("sha256").update(secret).digest("base64url"));

    const [event] = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.action, "auth.token_create")));
    expect(event).toMatchObject({ teamId: null, targetType: "api_token", targetId: id });
    expect(JSON.stringify(event!.data)).not.toContain(secret);
  });

  it("lists only the user's own tokens, newest first", async () => {
    const a = await createToken(desk.users.commenter, ["read"], "first");
    const b = await createToken(desk.users.commenter, ["read"], "second");
    await createToken(desk.users.viewer, ["read"], "someone else's");
    const list = await call(listTokensRoute as Handler, { as: desk.users.commenter });
    expect(list.body.tokens.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);
  });

  it("refuses a bad body: no scopes, an unknown scope, an expiry in the past or beyond a year", async () => {
    for (const body of [
      { name: "x", scopes: [], expiresAt: inDays(3) },
      { name: "x", scopes: ["root"], expiresAt: inDays(3) },
      { name: "x", scopes: ["read"], expiresAt: inDays(-1) },
      { name: "x", scopes: ["read"], expiresAt: inDays(400) },
      { name: "", scopes: ["read"], expiresAt: inDays(3) },
    ]) {
      expectError(await call(createTokenRoute as Handler, { as: desk.users.viewer, json: body }), 400, "bad_request");
    }
  });
});

describe("using a token", () => {
  it("works on GET and POST routes within its scope, without an Origin header (no cookie, so no CSRF exposure)", async () => {
    const { secret } = await createToken(desk.users.editor, ["write"]);
    const teams = await withToken(listTeamsRoute as Handler, secret);
    expect(teams.status).toBe(200);
    expect(teams.body.teams.map((t: { slug: string }) => t.slug)).toContain(desk.team.slug);

    const imported = await withToken(importArticleRoute as Handler, secret, { params: { team: desk.team.slug }, json: article("Imported by a bot") });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    // Even a cross-site Origin does not matter: no cookie rides along, and browsers never attach a bearer token by themselves.
    const crossSite = await withToken(importArticleRoute as Handler, secret, {
      params: { team: desk.team.slug },
      json: article("Imported from elsewhere"),
      headers: { origin: "https://cms.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status, JSON.stringify(crossSite.body)).toBe(201);
    const list = await withToken(listArticlesRoute as Handler, secret, { params: { team: desk.team.slug } });
    expect(list.body.articles.map((a: { title: string }) => a.title)).toContain("Imported by a bot");
    // The import is recorded as the token's owner's.
    const [event] = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, desk.team.id), eq(auditEvents.action, "article.import"), eq(auditEvents.actorId, desk.users.editor.id)));
    expect(event).toBeDefined();
  });

  it("refuses a read token on writes, with the scope it lacks", async () => {
    const { secret } = await createToken(desk.users.editor, ["read"]);
    expect((await withToken(listArticlesRoute as Handler, secret, { params: { team: desk.team.slug } })).status).toBe(200);
    const res = await withToken(importArticleRoute as Handler, secret, { params: { team: desk.team.slug }, json: article() });
    expectError(res, 403, "forbidden", /lacks the "write" scope/);
  });

  it("refuses a write token on admin actions, and an admin token may do them", async () => {
    const owner = desk.users.owner;
    const write = await createToken(owner, ["write"]);
    const admin = await createToken(owner, ["admin"]);
    const team = { team: desk.team.slug };
    const settings = (await call(getSettingsRoute as Handler, { as: owner, params: team })).body.settings;

    const attempts = (secret: string) => [
      withToken(changeRoleRoute as Handler, secret, { method: "PATCH", params: { ...team, userId: desk.users.viewer.id }, json: { role: "viewer" } }),
      withToken(putSettingsRoute as Handler, secret, { method: "PUT", params: team, json: settings }),
      withToken(auditRoute as Handler, secret, { params: team }),
      withToken(createInviteRoute as Handler, secret, { params: team, json: { role: "viewer" } }),
    ];
    for (const res of await Promise.all(attempts(write.secret))) expectError(res, 403, "forbidden", /lacks the "admin" scope/);
    const allowed = await Promise.all(attempts(admin.secret));
    expect(allowed.map((r) => r.status)).toEqual([200, 200, 200, 201]);
  });

  it("never grants more than the owner's role, whatever its scopes", async () => {
    const viewer = await createToken(desk.users.viewer, ["admin"]);
    expectError(await withToken(importArticleRoute as Handler, viewer.secret, { params: { team: desk.team.slug }, json: article() }), 403, "forbidden", /role \(viewer\)/);
    const editor = await createToken(desk.users.editor, ["admin"]);
    expectError(await withToken(auditRoute as Handler, editor.secret, { params: { team: desk.team.slug } }), 403, "forbidden", /role \(editor\)/);
    // A desk the owner is not on stays unknown.
    const outsider = await createToken(desk.outsider, ["admin"]);
    expectError(await withToken(listArticlesRoute as Handler, outsider.secret, { params: { team: desk.team.slug } }), 404, "not_found");
  });

  it("records when a token was last used, writing at most once a minute", async () => {
    const { secret, id } = await createToken(desk.users.viewer, ["read"]);
    expect((await withToken(listTeamsRoute as Handler, secret)).status).toBe(200);
    const [first] = await app.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(first!.lastUsedAt).not.toBeNull();
    expect((await withToken(listTeamsRoute as Handler, secret)).status).toBe(200);
    const [second] = await app.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(second!.lastUsedAt).toEqual(first!.lastUsedAt);

    const later = new Date(first!.lastUsedAt!.getTime() + LAST_USED_RESOLUTION_MS / 2);
    await touchApiToken(app.db, { token: { id, lastUsedAt: null }, now: later });
    const [unchanged] = await app.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(unchanged!.lastUsedAt).toEqual(first!.lastUsedAt);
    const muchLater = new Date(first!.lastUsedAt!.getTime() + LAST_USED_RESOLUTION_MS + 1000);
    await touchApiToken(app.db, { token: second!, now: muchLater });
    const [moved] = await app.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(moved!.lastUsedAt).toEqual(muchLater);
  });
});

describe("refused tokens", () => {
  it("answers 401 for an expired token", async () => {
    const { secret, id } = await createToken(desk.users.viewer, ["read"]);
    await app.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, id));
    expectError(await withToken(listTeamsRoute as Handler, secret), 401, "unauthorized", /expired/);
    const list = await call(listTokensRoute as Handler, { as: desk.users.viewer });
    expect(list.body.tokens.find((t: { id: string }) => t.id === id)?.expired).toBe(true);
  });

  it("revokes a token at once; someone else's token cannot be revoked", async () => {
    const { secret, id } = await createToken(desk.users.checker, ["read"]);
    expect((await withToken(listTeamsRoute as Handler, secret)).status).toBe(200);
    expectError(await call(revokeTokenRoute as Handler, { method: "DELETE", as: desk.users.editor, params: { id } }), 404, "not_found");
    expect((await withToken(listTeamsRoute as Handler, secret)).status).toBe(200);

    const revoked = await call(revokeTokenRoute as Handler, { method: "DELETE", as: desk.users.checker, params: { id } });
    expect(revoked.status).toBe(204);
    expectError(await withToken(listTeamsRoute as Handler, secret), 401, "unauthorized", /revoked/);
    const list = await call(listTokensRoute as Handler, { as: desk.users.checker });
    expect(list.body.tokens.map((t: { id: string }) => t.id)).not.toContain(id);
    expectError(await call(revokeTokenRoute as Handler, { method: "DELETE", as: desk.users.checker, params: { id } }), 404, "not_found");
    expect(await app.db.$count(auditEvents, and(eq(auditEvents.action, "auth.token_revoke"), eq(auditEvents.targetId, id)))).toBe(1);
  });

  it("answers 401 for a malformed or unknown bearer, and never falls back to the session cookie", async () => {
    const user = desk.users.viewer;
    for (const authorization of ["Bearer", "Basic dXNlcjpwYXNz", "Bearer fdt_not a token", "fdt_abc"]) {
      expectError(await call(listTeamsRoute as Handler, { headers: { authorization } }), 401, "unauthorized", /Authorization: Bearer/);
    }
    expectError(await call(listTeamsRoute as Handler, { headers: { authorization: "Bearer fdt_unknownunknownunknown" } }), 401, "unauthorized", /not valid/);
    expectError(await call(listTeamsRoute as Handler, { headers: { authorization: "Bearer some-other-kind-of-token" } }), 401, "unauthorized", /not valid/);
    // With a valid session cookie as well: the token decides.
    expect((await call(listTeamsRoute as Handler, { as: user })).status).toBe(200);
    expectError(await call(listTeamsRoute as Handler, { as: user, headers: { authorization: "Bearer fdt_unknownunknownunknown" } }), 401, "unauthorized");
  });
});

describe("what only a browser session may do", () => {
  it("refuses a token on token management, the password, sign-out-everywhere, creating a desk and joining one", async () => {
    const { secret, id } = await createToken(desk.users.owner, ["admin"]);
    const invite = await call(createInviteRoute as Handler, { as: desk.users.owner, params: { team: desk.team.slug }, json: { role: "viewer" } });
    const token = new URL(invite.body.invite.url).pathname.split("/").pop()!;
    const attempts = await Promise.all([
      withToken(listTokensRoute as Handler, secret),
      withToken(createTokenRoute as Handler, secret, { json: { name: "child", scopes: ["admin"], expiresAt: inDays(3) } }),
      withToken(revokeTokenRoute as Handler, secret, { method: "DELETE", params: { id } }),
      withToken(changePasswordRoute as Handler, secret, { json: { currentPassword: desk.users.owner.password, newPassword: "a brand new password" } }),
      withToken(signOutEverywhereRoute as Handler, secret, { json: {} }),
      withToken(createTeamRoute as Handler, secret, { json: { name: "Token desk" } }),
      withToken(acceptInviteRoute as Handler, secret, { params: { token } }),
    ]);
    for (const res of attempts) expectError(res, 403, "forbidden", /browser session/);
    // Nothing happened: the token still works and is still listed.
    expect((await withToken(listTeamsRoute as Handler, secret)).status).toBe(200);
    const list = await call(listTokensRoute as Handler, { as: desk.users.owner });
    expect(list.body.tokens.filter((t: { name: string }) => t.name === "child")).toEqual([]);
    expect(list.body.tokens.map((t: { id: string }) => t.id)).toContain(id);
  });
});

describe("rate limits", () => {
  const lower = useLowerableRateLimits();

  it("limits the requests of each token, with Retry-After", async () => {
    lower("apiTokenRequests", 3);
    const busy = await createToken(desk.users.viewer, ["read"]);
    const other = await createToken(desk.users.viewer, ["read"]);
    for (let i = 0; i < 3; i++) expect((await withToken(listTeamsRoute as Handler, busy.secret)).status).toBe(200);
    expectRateLimited(await withToken(listTeamsRoute as Handler, busy.secret));
    // Another token of the same person has its own budget, and the browser session is not held back.
    expect((await withToken(listTeamsRoute as Handler, other.secret)).status).toBe(200);
    expect((await call(listTeamsRoute as Handler, { as: desk.users.viewer })).status).toBe(200);
  });

  it("limits refused tokens per client address, and then refuses even a valid token from there", async () => {
    lower("apiTokenFailuresPerAddress", 3);
    const { secret } = await createToken(desk.users.viewer, ["read"]);
    const from = (address: string, bearer: string) => withToken(listTeamsRoute as Handler, bearer, { headers: { "x-forwarded-for": address } });
    for (let i = 0; i < 3; i++) expectError(await from("203.0.113.9", `fdt_guess${i}`), 401, "unauthorized");
    expectRateLimited(await from("203.0.113.9", "fdt_guess-again"));
    expectRateLimited(await from("203.0.113.9", secret));
    expect((await from("203.0.113.10", secret)).status).toBe(200);
  });

  it("limits how many tokens a person creates", async () => {
    lower("apiTokensCreatedPerUser", 2);
    const user = desk.users.commenter;
    const create = () => call(createTokenRoute as Handler, { as: user, json: { name: "many", scopes: ["read"], expiresAt: inDays(2) } });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    expectRateLimited(await create());
  });
});

describe("collaboration with a token", () => {
  let server: CollabHarness;
  beforeAll(async () => {
    server = await startCollab({ db: app.db, accessCheckMs: 200 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("mints a read-only ticket for a token without the write scope, and the server refuses its writes", async () => {
    const original = "The minister said unemployment fell by half.";
    const created = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: original });
    const read = await createToken(desk.users.editor, ["read"]);
    const write = await createToken(desk.users.editor, ["write"]);
    const mint = async (secret: string | null) => {
      const res = secret
        ? await withToken(collabTicketRoute as Handler, secret, { params: { id: created.id } })
        : await call(collabTicketRoute as Handler, { as: desk.users.editor, params: { id: created.id } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { ticket: string; readOnly: boolean };
    };
    const [readTicket, writeTicket, sessionTicket] = await Promise.all([mint(read.secret), mint(write.secret), mint(null)]);
    expect(readTicket.readOnly).toBe(true);
    expect(writeTicket.readOnly).toBe(false);
    expect(sessionTicket.readOnly).toBe(false);
    expect(await verifyTicket(readTicket.ticket)).toMatchObject({ role: "editor", readOnly: true });
    expect((await verifyTicket(readTicket.ticket))?.sv).toBeUndefined();
    expect((await verifyTicket(sessionTicket.ticket))?.sv).toBe(desk.users.editor.sessionVersion);

    const clients: TestClient[] = [];
    try {
      const reader = await connectClient({ serverUrl: server.serverUrl, articleId: created.id, user: desk.users.editor, mint: async () => (await mint(read.secret)).ticket });
      const writer = await connectClient({ serverUrl: server.serverUrl, articleId: created.id, user: desk.users.editor, mint: async () => (await mint(write.secret)).ticket });
      clients.push(reader, writer);
      expect(reader.denied).toEqual([]);
      insertIntoParagraph(reader.doc, 0, 0, "READ-ONLY-WAS-HERE ");
      await eventually(() => expect(reader.denied).toHaveLength(1));
      expect(reader.denied[0]).toMatch(/read-only/);
      insertIntoParagraph(writer.doc, 0, 0, "WRITER ");
      await eventually(() => expect(reader.text()).toContain("WRITER"));
      expect(writer.text()).not.toContain("READ-ONLY-WAS-HERE");
      await eventually(async () => expect(bodyText(await storedDoc(app.db, { articleId: created.id, room: "body" }))).toContain("WRITER"), 10_000, 100);
      expect(bodyText(await storedDoc(app.db, { articleId: created.id, room: "body" }))).not.toContain("READ-ONLY-WAS-HERE");
      // The presence of the read-only connection says so, as the server rewrote it.
      reader.provider.awareness.setLocalStateField("cursor", null);
      await eventually(() => {
        const states = [...writer.provider.awareness.getStates().values()] as { user?: { readOnly?: boolean } }[];
        expect(states.some((s) => s.user?.readOnly === true)).toBe(true);
      });
    } finally {
      destroyAll(...clients);
    }
  });

  it("ends an open connection within seconds once its API token is revoked, and leaves the owner's other connections open", async () => {
    const created = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: desk.users.editor.id, text: "A text a bot reads." });
    const token = await createToken(desk.users.editor, ["write"]);
    const mint = async (secret: string | null) => {
      const res = secret
        ? await withToken(collabTicketRoute as Handler, secret, { params: { id: created.id } })
        : await call(collabTicketRoute as Handler, { as: desk.users.editor, params: { id: created.id } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body as { ticket: string }).ticket;
    };
    expect((await verifyTicket(await mint(token.secret)))?.tid).toBe(token.id);
    const clients: TestClient[] = [];
    try {
      const bot = await connectClient({ serverUrl: server.serverUrl, articleId: created.id, user: desk.users.editor, mint: () => mint(token.secret) });
      const browser = await connectClient({ serverUrl: server.serverUrl, articleId: created.id, user: desk.users.editor, mint: () => mint(null) });
      clients.push(bot, browser);
      expect((await call(revokeTokenRoute as Handler, { as: desk.users.editor, method: "DELETE", params: { id: token.id } })).status).toBe(204);
      await eventually(() => expect(bot.closes).toContainEqual({ code: 4403, reason: "API token revoked or expired" }), 10_000);
      insertIntoParagraph(browser.doc, 0, 0, "STILL-HERE ");
      await eventually(async () => expect(bodyText(await storedDoc(app.db, { articleId: created.id, room: "body" }))).toContain("STILL-HERE"), 10_000, 100);
      expect(browser.closes).toEqual([]);
    } finally {
      destroyAll(...clients);
    }
  });
});
