import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getArticle } from "@/app/api/articles/[id]/route";
import { GET as health } from "@/app/api/health/route";
import { POST as acceptInviteRoute } from "@/app/api/invites/[token]/accept/route";
import { GET as getInvite } from "@/app/api/invites/[token]/route";
import { POST as signupRoute } from "@/app/api/signup/route";
import { GET as listArticlesRoute, POST as importArticleRoute } from "@/app/api/teams/[team]/articles/route";
import { DELETE as revokeInviteRoute } from "@/app/api/teams/[team]/invites/[inviteId]/route";
import { GET as listInvitesRoute, POST as createInviteRoute } from "@/app/api/teams/[team]/invites/route";
import { DELETE as removeMemberRoute, PATCH as changeRoleRoute } from "@/app/api/teams/[team]/members/[userId]/route";
import { GET as listMembersRoute } from "@/app/api/teams/[team]/members/route";
import { GET as getTeamRoute } from "@/app/api/teams/[team]/route";
import { GET as listTeamsRoute, POST as createTeamRoute } from "@/app/api/teams/route";
import { closeDb, getDb } from "@/db/client";
import { createArticle } from "@/db/queries/articles";
import { createInvite, findLiveInvite } from "@/db/queries/invites";
import { articles, invites, memberships, teams, users } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { LIMITS } from "@/model/limits";
import { ROLES, type Role } from "@/model/roles";
import { call, createDesk, createUser, setRole, uniqueEmail, type CallOptions, type CallResult, type Handler, type TestDesk, type TestUser } from "../support/api";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

let A: TestDesk;
let B: TestDesk;
let articleA: string;
let articleB: string;
let inviteA: { id: string; token: string };
let inviteB: { id: string; token: string };

beforeAll(async () => {
  [A, B] = [await createDesk(app, "Alpha Desk"), await createDesk(app, "Beta Desk")];
  const article = (desk: TestDesk) =>
    createArticle(app.db, {
      teamId: desk.team.id,
      createdBy: desk.users.editor.id,
      article: { title: `${desk.team.name} story`, content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Text." }] }] } },
    }).then((a) => a.id);
  articleA = await article(A);
  articleB = await article(B);
  const invite = (desk: TestDesk) =>
    createInvite(app.db, { teamId: desk.team.id, role: "viewer", expiresInDays: 7, createdBy: desk.users.owner.id }).then(({ invite, token }) => ({
      id: invite.id,
      token,
    }));
  inviteA = await invite(A);
  inviteB = await invite(B);
});

function expectError(res: CallResult, status: number, code: string, label = ""): void {
  expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body?.error?.code).toBe(code);
  expect(typeof res.body?.error?.message).toBe("string");
}

/** A fresh member of a desk, for tests that change or remove someone. */
async function member(desk: TestDesk, role: Role): Promise<TestUser> {
  const user = await createUser(app, { name: `Extra ${role}` });
  await setRole(app.db, { teamId: desk.team.id, userId: user.id, role });
  return user;
}

async function roleOf(desk: TestDesk, userId: string): Promise<Role | undefined> {
  const [row] = await app.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, desk.team.id), eq(memberships.userId, userId)));
  return row?.role;
}

const validArticle = { title: "A new story", format: "text", content: "Paragraph." };

// ---------------------------------------------------------------------------------------------------
// Every route that needs a session, with a request that would succeed for a suitable member of desk A.
// Lazy, because the fixtures exist only after beforeAll.
type Route = { name: string; handler: Handler; options: () => CallOptions };
const authed: Route[] = [
  { name: "GET /api/teams", handler: listTeamsRoute, options: () => ({}) },
  { name: "POST /api/teams", handler: createTeamRoute, options: () => ({ json: { name: "Anonymous desk" } }) },
  { name: "GET /api/teams/:team", handler: getTeamRoute, options: () => ({ params: { team: A.team.slug } }) },
  { name: "GET /api/teams/:team/articles", handler: listArticlesRoute, options: () => ({ params: { team: A.team.slug } }) },
  { name: "POST /api/teams/:team/articles", handler: importArticleRoute, options: () => ({ params: { team: A.team.slug }, json: validArticle }) },
  { name: "GET /api/teams/:team/members", handler: listMembersRoute, options: () => ({ params: { team: A.team.slug } }) },
  {
    name: "PATCH /api/teams/:team/members/:userId",
    handler: changeRoleRoute,
    options: () => ({ method: "PATCH", params: { team: A.team.slug, userId: A.users.viewer.id }, json: { role: "owner" } }),
  },
  {
    name: "DELETE /api/teams/:team/members/:userId",
    handler: removeMemberRoute,
    options: () => ({ method: "DELETE", params: { team: A.team.slug, userId: A.users.viewer.id } }),
  },
  { name: "GET /api/teams/:team/invites", handler: listInvitesRoute, options: () => ({ params: { team: A.team.slug } }) },
  { name: "POST /api/teams/:team/invites", handler: createInviteRoute, options: () => ({ params: { team: A.team.slug }, json: { role: "owner" } }) },
  {
    name: "DELETE /api/teams/:team/invites/:inviteId",
    handler: revokeInviteRoute,
    options: () => ({ method: "DELETE", params: { team: A.team.slug, inviteId: inviteA.id } }),
  },
  { name: "POST /api/invites/:token/accept", handler: acceptInviteRoute, options: () => ({ params: { token: inviteA.token } }) },
  { name: "GET /api/articles/:id", handler: getArticle, options: () => ({ params: { id: articleA } }) },
];

describe("without a session", () => {
  for (const route of authed) {
    it(`${route.name} → 401`, async () => {
      expectError(await call(route.handler, route.options()), 401, "unauthorized");
    });
  }

  it("changed nothing while refusing", async () => {
    expect(await roleOf(A, A.users.viewer.id)).toBe("viewer");
    expect(await findLiveInvite(app.db, { token: inviteA.token })).toBeDefined();
    expect(await app.db.$count(teams, eq(teams.name, "Anonymous desk"))).toBe(0);
    expect(await app.db.$count(articles, eq(articles.title, validArticle.title))).toBe(0);
    expect(await app.db.$count(invites, eq(invites.role, "owner"))).toBe(0);
  });

  it("GET /api/invites/:token and GET /api/health are public; POST /api/signup needs no session", async () => {
    const invite = await call(getInvite, { params: { token: inviteA.token } });
    expect(invite.status).toBe(200);
    expect(invite.body.invite).toMatchObject({ team: { slug: A.team.slug, name: "Alpha Desk" }, role: "viewer" });
    expect(JSON.stringify(invite.body)).not.toContain(A.team.id);
    const ok = await call(health);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ok", database: { reachable: true } });
    expect((await call(signupRoute, { json: { name: "New", email: uniqueEmail("anon"), password: "long-enough-pw" } })).status).toBe(201);
  });
});

describe("roles on a desk", () => {
  const everyone = [...ROLES];

  it.each([
    ["GET /api/teams/:team", getTeamRoute],
    ["GET /api/teams/:team/articles", listArticlesRoute],
    ["GET /api/teams/:team/members", listMembersRoute],
  ] as const)("%s: every role may read", async (_name, handler) => {
    for (const role of everyone) {
      const res = await call(handler, { as: A.users[role], params: { team: A.team.slug } });
      expect(res.status, role).toBe(200);
    }
  });

  it("GET /api/teams/:team reports the caller's role; GET /api/teams lists only the caller's desks", async () => {
    for (const role of everyone) {
      const res = await call(getTeamRoute, { as: A.users[role], params: { team: A.team.slug } });
      expect(res.body.team).toEqual({ id: A.team.id, slug: A.team.slug, name: "Alpha Desk", role });
      const list = await call(listTeamsRoute, { as: A.users[role] });
      expect(list.status).toBe(200);
      expect(list.body.teams).toEqual([{ id: A.team.id, slug: A.team.slug, name: "Alpha Desk", role }]);
    }
    expect((await call(listTeamsRoute, { as: A.outsider })).body.teams).toEqual([]);
  });

  it("GET /api/articles/:id: every role may read", async () => {
    for (const role of everyone) {
      const res = await call(getArticle, { as: A.users[role], params: { id: articleA } });
      expect(res.status, role).toBe(200);
      expect(res.body.article).toMatchObject({ id: articleA, role, team: { slug: A.team.slug } });
    }
  });

  it("POST /api/teams: any signed-in user creates a desk (201)", async () => {
    const res = await call(createTeamRoute, { as: A.outsider, json: { name: "Outsider's own desk" } });
    expect(res.status).toBe(201);
    expect(res.body.team).toMatchObject({ name: "Outsider's own desk", role: "owner" });
  });

  it("POST /api/teams/:team/articles: editors and owners import (201); checkers, commenters and viewers get 403", async () => {
    for (const role of ["owner", "editor"] as const) {
      const res = await call(importArticleRoute, { as: A.users[role], params: { team: A.team.slug }, json: { ...validArticle, title: `By ${role}` } });
      expect(res.status, role).toBe(201);
    }
    for (const role of ["checker", "commenter", "viewer"] as const) {
      const res = await call(importArticleRoute, { as: A.users[role], params: { team: A.team.slug }, json: { ...validArticle, title: `By ${role}` } });
      expectError(res, 403, "forbidden");
      expect(await app.db.$count(articles, eq(articles.title, `By ${role}`))).toBe(0);
    }
  });

  it("GET and POST /api/teams/:team/invites: owners only; an editor inviting gets 403", async () => {
    const list = await call(listInvitesRoute, { as: A.users.owner, params: { team: A.team.slug } });
    expect(list.status).toBe(200);
    expect(list.body.invites.map((i: { id: string }) => i.id)).toContain(inviteA.id);
    expect(list.body.invites.map((i: { id: string }) => i.id)).not.toContain(inviteB.id);
    const created = await call(createInviteRoute, { as: A.users.owner, params: { team: A.team.slug }, json: { role: "commenter", expiresInDays: 3 } });
    expect(created.status).toBe(201);
    expect(created.body.invite).toMatchObject({ role: "commenter" });
    expect(created.body.invite.token).toEqual(expect.any(String));
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      expectError(await call(listInvitesRoute, { as: A.users[role], params: { team: A.team.slug } }), 403, "forbidden");
      expectError(await call(createInviteRoute, { as: A.users[role], params: { team: A.team.slug }, json: { role: "viewer" } }), 403, "forbidden");
    }
    // An editor may not mint an owner link for themselves either.
    expect(await app.db.$count(invites, and(eq(invites.teamId, A.team.id), eq(invites.createdBy, A.users.editor.id)))).toBe(0);
  });

  it("DELETE /api/teams/:team/invites/:inviteId: owners revoke (204), others get 403", async () => {
    const { invite, token } = await createInvite(app.db, { teamId: A.team.id, role: "checker", expiresInDays: 1, createdBy: A.users.owner.id });
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      expectError(await call(revokeInviteRoute, { as: A.users[role], method: "DELETE", params: { team: A.team.slug, inviteId: invite.id } }), 403, "forbidden");
    }
    expect(await findLiveInvite(app.db, { token })).toBeDefined();
    const res = await call(revokeInviteRoute, { as: A.users.owner, method: "DELETE", params: { team: A.team.slug, inviteId: invite.id } });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await findLiveInvite(app.db, { token })).toBeUndefined();
  });

  it("PATCH /api/teams/:team/members/:userId: owners change roles (200); a checker or editor gets 403", async () => {
    const target = await member(A, "commenter");
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      const res = await call(changeRoleRoute, { as: A.users[role], method: "PATCH", params: { team: A.team.slug, userId: target.id }, json: { role: "owner" } });
      expectError(res, 403, "forbidden");
    }
    // Nobody may promote themselves either.
    expectError(
      await call(changeRoleRoute, { as: A.users.checker, method: "PATCH", params: { team: A.team.slug, userId: A.users.checker.id }, json: { role: "owner" } }),
      403,
      "forbidden",
    );
    expect(await roleOf(A, target.id)).toBe("commenter");
    expect(await roleOf(A, A.users.checker.id)).toBe("checker");
    const ok = await call(changeRoleRoute, { as: A.users.owner, method: "PATCH", params: { team: A.team.slug, userId: target.id }, json: { role: "checker" } });
    expect(ok.status).toBe(200);
    expect(await roleOf(A, target.id)).toBe("checker");
  });

  it("DELETE /api/teams/:team/members/:userId: owners remove (204); others get 403", async () => {
    const target = await member(A, "viewer");
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      expectError(await call(removeMemberRoute, { as: A.users[role], method: "DELETE", params: { team: A.team.slug, userId: target.id } }), 403, "forbidden");
    }
    expect(await roleOf(A, target.id)).toBe("viewer");
    const ok = await call(removeMemberRoute, { as: A.users.owner, method: "DELETE", params: { team: A.team.slug, userId: target.id } });
    expect(ok.status).toBe(204);
    expect(await roleOf(A, target.id)).toBeUndefined();
  });

  it("POST /api/invites/:token/accept: a signed-in user joins (200)", async () => {
    const joiner = await createUser(app);
    const res = await call(acceptInviteRoute, { as: joiner, params: { token: inviteA.token } });
    expect(res.status).toBe(200);
    expect(res.body.team).toEqual({ id: A.team.id, slug: A.team.slug, name: "Alpha Desk", role: "viewer" });
    expect(await roleOf(A, joiner.id)).toBe("viewer");
  });
});

describe("someone else's desk, unknown and malformed ids → 404", () => {
  it("a desk the caller does not belong to is 404 on every team route, never 403", async () => {
    const requests: [string, Handler, CallOptions][] = [
      ["team", getTeamRoute, { params: { team: B.team.slug } }],
      ["articles", listArticlesRoute, { params: { team: B.team.slug } }],
      ["import", importArticleRoute, { params: { team: B.team.slug }, json: validArticle }],
      ["members", listMembersRoute, { params: { team: B.team.slug } }],
      ["patch", changeRoleRoute, { method: "PATCH", params: { team: B.team.slug, userId: B.users.viewer.id }, json: { role: "owner" } }],
      ["remove", removeMemberRoute, { method: "DELETE", params: { team: B.team.slug, userId: B.users.viewer.id } }],
      ["invites", listInvitesRoute, { params: { team: B.team.slug } }],
      ["invite", createInviteRoute, { params: { team: B.team.slug }, json: { role: "owner" } }],
      ["revoke", revokeInviteRoute, { method: "DELETE", params: { team: B.team.slug, inviteId: inviteB.id } }],
    ];
    // A's owner is the most powerful outsider there is; an unknown slug answers the same.
    for (const [name, handler, options] of requests) {
      expectError(await call(handler, { ...options, as: A.users.owner }), 404, "not_found", name);
      expectError(await call(handler, { ...options, as: B.outsider }), 404, "not_found", name);
      const unknown = { ...options, params: { ...options.params, team: "no-such-desk" } };
      expectError(await call(handler, { ...unknown, as: A.users.owner }), 404, "not_found", name);
    }
    expect(await roleOf(B, B.users.viewer.id)).toBe("viewer");
    expect(await findLiveInvite(app.db, { token: inviteB.token })).toBeDefined();
  });

  it("another desk's article, and unknown or non-UUID article ids, are 404", async () => {
    expectError(await call(getArticle, { as: A.users.owner, params: { id: articleB } }), 404, "not_found");
    expectError(await call(getArticle, { as: A.users.owner, params: { id: randomUUID() } }), 404, "not_found");
    for (const id of ["not-a-uuid", "1", "' or 1=1 --", `${articleA}x`]) {
      expectError(await call(getArticle, { as: A.users.owner, params: { id } }), 404, "not_found");
    }
    expect((await call(getArticle, { as: B.users.viewer, params: { id: articleB } })).status).toBe(200);
  });

  it("another desk's member or invite, through your own desk's address, is 404 and untouched", async () => {
    const { owner } = A.users;
    const bOnly = B.users.viewer;
    expectError(
      await call(changeRoleRoute, { as: owner, method: "PATCH", params: { team: A.team.slug, userId: bOnly.id }, json: { role: "editor" } }),
      404,
      "not_found",
    );
    expectError(await call(removeMemberRoute, { as: owner, method: "DELETE", params: { team: A.team.slug, userId: bOnly.id } }), 404, "not_found");
    expect(await roleOf(B, bOnly.id)).toBe("viewer");
    expect(await roleOf(A, bOnly.id)).toBeUndefined();

    expectError(await call(revokeInviteRoute, { as: owner, method: "DELETE", params: { team: A.team.slug, inviteId: inviteB.id } }), 404, "not_found");
    expect(await findLiveInvite(app.db, { token: inviteB.token })).toBeDefined();
  });

  it("unknown and non-UUID member and invite ids are 404", async () => {
    const { owner } = A.users;
    for (const id of [randomUUID(), "not-a-uuid", "../../etc"]) {
      expectError(
        await call(changeRoleRoute, { as: owner, method: "PATCH", params: { team: A.team.slug, userId: id }, json: { role: "editor" } }),
        404,
        "not_found",
      );
      expectError(await call(removeMemberRoute, { as: owner, method: "DELETE", params: { team: A.team.slug, userId: id } }), 404, "not_found");
      expectError(await call(revokeInviteRoute, { as: owner, method: "DELETE", params: { team: A.team.slug, inviteId: id } }), 404, "not_found");
    }
  });

  it("unknown invite tokens are 404 for preview and accept", async () => {
    const user = await createUser(app);
    for (const token of ["nope", "x".repeat(32), inviteA.token.slice(0, -1)]) {
      expectError(await call(getInvite, { params: { token } }), 404, "not_found");
      expectError(await call(acceptInviteRoute, { as: user, params: { token } }), 404, "not_found");
    }
    expect(await app.db.$count(memberships, eq(memberships.userId, user.id))).toBe(0);
  });
});

describe("request bodies", () => {
  // Each route that reads a body, called by someone allowed to use it.
  const bodyRoutes: { name: string; handler: Handler; options: () => CallOptions; invalid: unknown[] }[] = [
    {
      name: "POST /api/signup",
      handler: signupRoute,
      options: () => ({}),
      invalid: [{ name: "x", email: "x@example.test", password: "short" }, { name: "x", email: "nope", password: "long-enough-pw" }, {}, null, 42],
    },
    {
      name: "POST /api/teams",
      handler: createTeamRoute,
      options: () => ({ as: A.users.viewer }),
      invalid: [{ name: "" }, { name: "Desk", slug: "Not A Slug!" }, { name: "x".repeat(81) }, { slug: "only-slug" }, "Desk"],
    },
    {
      name: "POST /api/teams/:team/articles",
      handler: importArticleRoute,
      options: () => ({ as: A.users.editor, params: { team: A.team.slug } }),
      invalid: [
        { ...validArticle, format: "pdf" },
        { ...validArticle, title: "" },
        { ...validArticle, content: "x".repeat(LIMITS.importedArticleChars + 1) },
        { ...validArticle, sourceUrl: "javascript:alert(1)" },
        { title: "No content", format: "text" },
      ],
    },
    {
      name: "POST /api/teams/:team/invites",
      handler: createInviteRoute,
      options: () => ({ as: A.users.owner, params: { team: A.team.slug } }),
      invalid: [{ role: "admin" }, { role: "viewer", expiresInDays: 0 }, { role: "viewer", expiresInDays: 90 }, { role: "viewer", expiresInDays: "7" }, {}],
    },
    {
      name: "PATCH /api/teams/:team/members/:userId",
      handler: changeRoleRoute,
      options: () => ({ as: A.users.owner, method: "PATCH", params: { team: A.team.slug, userId: A.users.commenter.id } }),
      invalid: [{ role: "admin" }, { role: "" }, {}, { role: ["owner"] }],
    },
  ];

  for (const route of bodyRoutes) {
    describe(route.name, () => {
      it("malformed JSON → 400 bad_request", async () => {
        for (const rawBody of ['{"role": ', "not json at all", "", "{'single': 'quotes'}"]) {
          expectError(await call(route.handler, { ...route.options(), rawBody, contentType: "application/json" }), 400, "bad_request");
        }
      });

      it("schema-invalid body → 400 bad_request with details", async () => {
        for (const json of route.invalid) {
          const res = await call(route.handler, { ...route.options(), json });
          expectError(res, 400, "bad_request");
          expect(res.body.error.details).toBeDefined();
        }
      });

      it("oversized body → 413, whether declared or not", async () => {
        const huge = JSON.stringify({ name: "x".repeat(LIMITS.requestBodyBytes), role: "viewer" });
        expectError(await call(route.handler, { ...route.options(), rawBody: huge, contentType: "application/json" }), 413, "payload_too_large");
        expectError(
          await call(route.handler, {
            ...route.options(),
            rawBody: "{}",
            contentType: "application/json",
            headers: { "content-length": String(LIMITS.requestBodyBytes + 1) },
          }),
          413,
          "payload_too_large",
        );
      });

      it("a body that is not JSON → 415", async () => {
        expectError(await call(route.handler, { ...route.options(), rawBody: "role=owner", contentType: "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
        expectError(await call(route.handler, { ...route.options(), rawBody: '{"role":"owner"}' }), 415, "unsupported_media_type");
      });
    });
  }

  it("a streamed body of unknown length is cut off just past the limit, not read to the end", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const total = 64 * 1024 * 1024;
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await call(createTeamRoute, { as: A.users.viewer, stream, contentType: "application/json" });
    expectError(res, 413, "payload_too_large");
    expect(pulled).toBeGreaterThan(LIMITS.requestBodyBytes);
    expect(pulled).toBeLessThan(LIMITS.requestBodyBytes * 4);
  });

  it("a streamed body within the limit is decoded as UTF-8, even when a character straddles two chunks", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ name: "Zoë’s 日本 desk" }));
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte "ë"
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const res = await call(createTeamRoute, { as: A.users.viewer, stream, contentType: "application/json; charset=utf-8" });
    expect(res.status).toBe(201);
    expect(res.body.team.name).toBe("Zoë’s 日本 desk");
  });

  it("refused bodies changed nothing", async () => {
    expect(await roleOf(A, A.users.commenter.id)).toBe("commenter");
    expect(await app.db.$count(invites, and(eq(invites.teamId, A.team.id), eq(invites.role, "viewer"), eq(invites.createdBy, A.users.owner.id)))).toBe(1);
    expect(await app.db.$count(users, eq(users.email, "x@example.test"))).toBe(0);
  });
});

describe("GET /api/health", () => {
  it("answers 503 when the database is unreachable, and recovers", async () => {
    const deadPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
      });
    });
    const realUrl = process.env.DATABASE_URL;
    try {
      await closeDb();
      process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${deadPort}/postgres`;
      resetEnv();
      const res = await call(health);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: "degraded", database: { reachable: false } });
      expect(JSON.stringify(res.body)).not.toContain(String(deadPort));
    } finally {
      await closeDb();
      process.env.DATABASE_URL = realUrl;
      resetEnv();
      getDb();
    }
    const ok = await call(health);
    expect(ok.status).toBe(200);
    expect(ok.body.database.latencyMs).toEqual(expect.any(Number));
  });
});
