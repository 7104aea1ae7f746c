import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { eq } from "drizzle-orm";
import { createApiToken, revokeApiToken } from "@/db/queries/api-tokens";
import { createGuestInvite } from "@/db/queries/guests";
import { createInvite } from "@/db/queries/invites";
import { apiTokens, articleGuests, users } from "@/db/schema";
import { createRevision } from "@/lib/revisions";
import type { RouteDoc } from "@/lib/openapi/routes";
import { ROUTES } from "@/lib/openapi/routes";
import { can, type Action, type ApiScope, type Grant } from "@/model/permissions";
import { scopeLadder } from "@/model/schemas/account";
import { approveClaim, createThread, threadsMap, updateClaim } from "@/model/review";
import type { RoomKind } from "@/model/rooms";
import { readSummary, setTakeaway } from "@/model/summary";
import type { GuestRole } from "@/model/permissions";
import { ROLES, type Role } from "@/model/roles";
import { readTeamSettings } from "@/model/verdict-scale";
import { call, createDesk, createUser, sessionCookie, setRole, type CallOptions, type Handler, type TestDesk, type TestUser } from "../support/api";
import { bodyText, connectClient, eventually, insertIntoParagraph, signTicket, startCollab, tryUpgrade, type CollabHarness, type TestClient } from "../support/collab";
import { useTestApp } from "../support/test-database";
import { startSession, type Session } from "./publishing-support";

// The access matrix: every HTTP route of lib/openapi/routes.ts, called as every kind of caller, must
// answer exactly what `can()` and the route's documented caller say. The expected outcome is derived,
// not written out, so a change to `can()` or to a route's caller changes what is asserted; a route
// listed without a fixture below fails the test.

const app = useTestApp();
const TEXT = "The minister said unemployment fell by 40 percent last year, the largest drop on record.";
const CLAIM = "unemployment fell by 40 percent last year";

interface World {
  desk: TestDesk;
  session: Session;
  claimId: string;
  /** A second article of the same desk, which the article's guests must not reach. */
  otherArticleId: string;
  guests: Record<GuestRole, TestUser>;
  /** A guest of the other article only. */
  strangerGuest: TestUser;
  /** A desk whose invites the callers accept. */
  joinable: TestDesk;
  /** An article of that desk, whose guest links the callers accept. */
  joinableArticleId: string;
}

/** One kind of caller, and the outcome it should get from a route. */
interface Principal {
  name: string;
  /** The person behind a browser session, or behind an API token. */
  user?: TestUser;
  /** The caller's grant on the world's article (members and guests; with scopes for an API token). */
  grant?: Grant;
  /** A member of another desk, or a guest of another article: signed in, but no right here. */
  stranger?: boolean;
  /** Calls with `Authorization: Bearer` instead of the session cookie. */
  token?: { secret: string; live: boolean; address: string };
}

type Request = Pick<CallOptions, "params" | "query" | "json"> & {
  /** Runs after the call with its status, for routes that change the caller (a new password). */
  afterCall?: (status: number) => void;
};
/** Builds a valid request for one call of a route; runs before each call, so destructive routes get fresh targets. */
type Fixture = (world: World, caller: Principal) => Promise<Request> | Request;

// next-auth's own endpoints need Next's request scope; they are driven through next-auth's handler in
// auth.int.test.ts and through the browser in e2e/sign-in.spec.ts.
const NOT_IN_MATRIX: Record<string, string> = {
  "GET /api/auth/{nextauth}": "next-auth's endpoints (auth.int.test.ts, e2e/sign-in.spec.ts)",
  "POST /api/auth/{nextauth}": "next-auth's endpoints (auth.int.test.ts, e2e/sign-in.spec.ts)",
};

let counter = 0;
const unique = (label: string) => `${label} ${++counter}`;
const team = (w: World) => ({ team: w.desk.team.slug });
const article = (w: World) => ({ id: w.session.article.id });

async function freshMember(w: World): Promise<string> {
  const victim = await createUser(app, { name: unique("Victim") });
  await setRole(app.db, { teamId: w.desk.team.id, userId: victim.id, role: "viewer" });
  return victim.id;
}

async function freshInvite(desk: TestDesk): Promise<{ id: string; token: string }> {
  const { invite, token } = await createInvite(app.db, { teamId: desk.team.id, role: "viewer", expiresInDays: 1, createdBy: desk.users.owner.id });
  return { id: invite.id, token };
}

async function freshGuestLink(desk: TestDesk, articleId: string): Promise<{ id: string; token: string }> {
  const { invite, token } = await createGuestInvite(app.db, { teamId: desk.team.id, articleId, role: "commenter", accessExpiresAt: inDays(30), createdBy: desk.users.owner.id });
  return { id: invite.id, token };
}

async function freshGuest(w: World): Promise<string> {
  const guest = await createUser(app, { name: unique("Guest") });
  await app.db.insert(articleGuests).values({ articleId: w.session.article.id, teamId: w.desk.team.id, userId: guest.id, role: "viewer", expiresAt: inDays(30) });
  return guest.id;
}

/** A token of the caller's own (of the desk's owner for callers without an account), to revoke. */
async function freshToken(w: World, caller: Principal): Promise<string> {
  const { token } = await createApiToken(app.db, { userId: (caller.user ?? w.desk.users.owner).id, name: unique("Revocable"), scopes: ["read"], expiresAt: inDays(30) });
  return token.id;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

async function namedRevision(w: World): Promise<number> {
  const revision = await createRevision(app.db, { teamId: w.desk.team.id, articleId: w.session.article.id, kind: "named", reason: "named", label: unique("Matrix"), createdBy: w.desk.users.owner.id });
  return revision!.number;
}

async function handlerOf(route: RouteDoc): Promise<Handler> {
  const folder = route.path
    .replace(/^\/api\//, "")
    .split("/")
    .map((segment) => segment.replace(/^\{(.+)\}$/, "[$1]"));
  const module = (await import(path.resolve(__dirname, "../../app/api", ...folder, "route.ts"))) as Record<string, Handler>;
  const handler = module[route.method];
  if (!handler) throw new Error(`${route.method} ${route.path}: the route file exports no such method`);
  return handler;
}

const FIXTURES: Record<string, Fixture> = {
  "GET /api/openapi.json": () => ({}),
  "GET /api/health": () => ({}),
  "POST /api/signup": () => ({ json: { name: "Matrix Person", email: `matrix-${++counter}-${Date.now()}@example.test`, password: "a long enough password" } }),
  "GET /api/teams": () => ({}),
  "POST /api/teams": () => ({ json: { name: unique("Matrix desk") } }),
  "GET /api/teams/{team}": (w) => ({ params: team(w) }),
  "GET /api/teams/{team}/articles": (w) => ({ params: team(w) }),
  "POST /api/teams/{team}/articles": (w) => ({ params: team(w), json: { title: unique("Imported"), format: "text", content: "Some text worth checking." } }),
  "GET /api/teams/{team}/audit": (w) => ({ params: team(w) }),
  "GET /api/teams/{team}/members": (w) => ({ params: team(w) }),
  "PATCH /api/teams/{team}/members/{userId}": async (w) => ({ params: { ...team(w), userId: await freshMember(w) }, json: { role: "commenter" } }),
  "DELETE /api/teams/{team}/members/{userId}": async (w) => ({ params: { ...team(w), userId: await freshMember(w) } }),
  "GET /api/teams/{team}/invites": (w) => ({ params: team(w) }),
  "POST /api/teams/{team}/invites": (w) => ({ params: team(w), json: { role: "viewer", expiresInDays: 7 } }),
  "DELETE /api/teams/{team}/invites/{inviteId}": async (w) => ({ params: { ...team(w), inviteId: (await freshInvite(w.desk)).id } }),
  "GET /api/teams/{team}/settings": (w) => ({ params: team(w) }),
  "PUT /api/teams/{team}/settings": (w) => ({ params: team(w), json: readTeamSettings(w.desk.team.settings) }),
  "GET /api/invites/{token}": async (w) => ({ params: { token: (await freshInvite(w.desk)).token } }),
  // Accepting joins the desk, so callers accept an invite to a desk of its own, not the world's.
  "POST /api/invites/{token}/accept": async (w) => ({ params: { token: (await freshInvite(w.joinable)).token } }),
  "GET /api/articles/{id}": (w) => ({ params: article(w) }),
  "GET /api/articles/{id}/claims": (w) => ({ params: article(w) }),
  "GET /api/articles/{id}/claims/{claimId}/history": (w) => ({ params: { ...article(w), claimId: w.claimId } }),
  "POST /api/articles/{id}/collab-ticket": (w) => ({ params: article(w) }),
  "GET /api/articles/{id}/export": (w) => ({ params: article(w), query: { format: "markdown" } }),
  "GET /api/articles/{id}/publications": (w) => ({ params: article(w) }),
  "POST /api/articles/{id}/publications": (w) => ({ params: article(w), json: { claimIds: [w.claimId], correction: unique("Checked again") } }),
  "POST /api/articles/{id}/unpublish": async (w) => {
    const published = await call((await handlerOf(routeOf("POST /api/articles/{id}/publications"))) as Handler, {
      as: w.desk.users.owner,
      params: article(w),
      json: { claimIds: [w.claimId], correction: unique("Republished") },
    });
    expect(published.status).toBe(201);
    return { params: article(w), json: { reason: "Matrix check" } };
  },
  "GET /api/guest-invites/{token}": async (w) => ({ params: { token: (await freshGuestLink(w.joinable, w.joinableArticleId)).token } }),
  // Taking a guest link makes the caller a guest of its article: a link to the joinable desk's article.
  "POST /api/guest-invites/{token}/accept": async (w) => ({ params: { token: (await freshGuestLink(w.joinable, w.joinableArticleId)).token } }),
  "GET /api/articles/{id}/guests": (w) => ({ params: article(w) }),
  "POST /api/articles/{id}/guests": (w) => ({ params: article(w), json: { role: "commenter", accessExpiresAt: inDays(30).toISOString() } }),
  "DELETE /api/articles/{id}/guests/{userId}": async (w) => ({ params: { ...article(w), userId: await freshGuest(w) } }),
  "DELETE /api/articles/{id}/guest-invites/{inviteId}": async (w) => ({ params: { ...article(w), inviteId: (await freshGuestLink(w.desk, w.session.article.id)).id } }),
  "GET /api/tokens": () => ({}),
  "POST /api/tokens": () => ({ json: { name: unique("Integration"), scopes: ["read"], expiresAt: inDays(30).toISOString() } }),
  "DELETE /api/tokens/{id}": async (w, caller) => ({ params: { id: await freshToken(w, caller) } }),
  "POST /api/account/password": (_w, caller) => {
    const newPassword = `changed password ${++counter}`;
    return {
      json: { currentPassword: caller.user?.password ?? "unknown password", newPassword },
      afterCall: (status: number) => {
        if (status === 204 && caller.user) caller.user.password = newPassword;
      },
    };
  },
  "POST /api/account/sign-out-everywhere": () => ({}),
  "GET /api/articles/{id}/revisions": (w) => ({ params: article(w) }),
  "POST /api/articles/{id}/revisions": (w) => ({ params: article(w), json: { label: unique("Version") } }),
  "GET /api/articles/{id}/revisions/compare": async (w) => ({ params: article(w), query: { from: String(await namedRevision(w)), to: "current" } }),
  "GET /api/articles/{id}/revisions/{rev}": async (w) => ({ params: { ...article(w), rev: String(await namedRevision(w)) } }),
  "POST /api/articles/{id}/revisions/{rev}/restore": async (w) => ({ params: { ...article(w), rev: String(await namedRevision(w)) } }),
};

const key = (route: RouteDoc) => `${route.method} ${route.path}`;
function routeOf(k: string): RouteDoc {
  const route = ROUTES.find((r) => key(r) === k);
  if (!route) throw new Error(`no route ${k}`);
  return route;
}

/** The status a caller must get: the route's success, or the refusal that its caller kind and `can()` imply. */
function expectedStatus(route: RouteDoc, caller: Principal): number {
  const success = route.response.status;
  const { caller: needs } = route;
  if (needs.kind === "public") return success;
  // What only a browser session may do refuses any API token, live or not.
  if (caller.token && route.sessionOnly) return 403;
  if (!caller.user || (caller.token && !caller.token.live)) return 401;
  if (needs.kind === "signed-in") return success;
  const articleScoped = route.path.startsWith("/api/articles/");
  // Desks and articles the caller has no part in do not exist for them.
  if (caller.stranger || !caller.grant) return 404;
  if (caller.grant.guest && !articleScoped) return 404;
  return can(caller.grant, needs.action as Action) ? success : 403;
}

let world: World;
let principals: Principal[];

/** After a route that ended the caller's sessions (password, sign out everywhere), signs them in again. */
async function keepSignedIn(caller: Principal): Promise<void> {
  const user = caller.user;
  if (!user) return;
  const [row] = await app.db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, user.id));
  if (!row || row.sessionVersion === user.sessionVersion) return;
  user.sessionVersion = row.sessionVersion;
  user.cookie = await sessionCookie(user, app.secret);
}

beforeAll(async () => {
  const desk = await createDesk(app, "Matrix Desk");
  const { checker, editor } = desk.users;
  const session = await startSession(app, { teamId: desk.team.id, createdBy: editor.id, title: "Matrix article", text: TEXT });
  let claimId = "";
  await session.as(checker, "review", (doc) => {
    claimId = createThread(doc, { kind: "claim", anchor: session.anchor(CLAIM), by: checker.id });
  });
  await session.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "false", rationale: "Official figures.", state: "in_review" } }));
  await session.as(editor, "review", (doc) => approveClaim(doc, claimId, { by: editor.id }));
  const other = await startSession(app, { teamId: desk.team.id, createdBy: editor.id, title: "Another article", text: TEXT });
  const [guestCommenter, guestViewer, strangerGuest] = await Promise.all(["Guest commenter", "Guest viewer", "Stranger guest"].map((name) => createUser(app, { name })));
  const until = new Date(Date.now() + 86_400_000);
  await app.db.insert(articleGuests).values([
    { articleId: session.article.id, teamId: desk.team.id, userId: guestCommenter!.id, role: "commenter", expiresAt: until },
    { articleId: session.article.id, teamId: desk.team.id, userId: guestViewer!.id, role: "viewer", expiresAt: until },
    { articleId: other.article.id, teamId: desk.team.id, userId: strangerGuest!.id, role: "commenter", expiresAt: until },
  ]);
  const joinable = await createDesk(app, "Joinable Desk");
  const joinableArticle = await startSession(app, { teamId: joinable.team.id, createdBy: joinable.users.owner.id, title: "Joinable article", text: TEXT });
  world = {
    desk,
    session,
    claimId,
    otherArticleId: other.article.id,
    guests: { commenter: guestCommenter!, viewer: guestViewer! },
    strangerGuest: strangerGuest!,
    joinable,
    joinableArticleId: joinableArticle.article.id,
  };
  const otherDesk = await createDesk(app, "Elsewhere Desk");
  const tokenOf = async (user: TestUser, scopes: ApiScope[], state: "live" | "revoked" | "expired" = "live") => {
    const { token, secret } = await createApiToken(app.db, { userId: user.id, name: unique("Matrix token"), scopes: scopeLadder(scopes), expiresAt: inDays(30) });
    if (state === "revoked") await revokeApiToken(app.db, { userId: user.id, id: token.id });
    if (state === "expired") await app.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, token.id));
    // Each token its own client address, so refused tokens are not throttled as one address.
    return { secret, live: state === "live", address: `192.0.2.${++counter % 250}` };
  };
  const { owner, editor: deskEditor } = desk.users;
  const ownerTokens: Principal[] = [];
  for (const scope of ["read", "write", "admin"] as const) {
    ownerTokens.push({ name: `owner's ${scope} token`, user: owner, grant: { role: "owner", scopes: scopeLadder([scope]) }, token: await tokenOf(owner, [scope]) });
  }
  principals = [
    { name: "signed out" },
    { name: "owner of another desk", user: otherDesk.users.owner, stranger: true },
    { name: "guest of another article", user: strangerGuest!, stranger: true },
    ...ROLES.map((role: Role) => ({ name: role, user: desk.users[role], grant: { role } })),
    { name: "guest commenter", user: guestCommenter!, grant: { role: "commenter" as const, guest: true } },
    { name: "guest viewer", user: guestViewer!, grant: { role: "viewer" as const, guest: true } },
    ...ownerTokens,
    { name: "editor's admin token", user: deskEditor, grant: { role: "editor", scopes: scopeLadder(["admin"]) }, token: await tokenOf(deskEditor, ["admin"]) },
    { name: "revoked token", user: owner, grant: { role: "owner", scopes: scopeLadder(["admin"]) }, token: await tokenOf(owner, ["admin"], "revoked") },
    { name: "expired token", user: owner, grant: { role: "owner", scopes: scopeLadder(["admin"]) }, token: await tokenOf(owner, ["admin"], "expired") },
  ];
});

describe("the access matrix", () => {
  it("covers every listed route, and nothing that is not a route", () => {
    const listed = ROUTES.map(key).filter((k) => !(k in NOT_IN_MATRIX)).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(listed);
    for (const k of Object.keys(NOT_IN_MATRIX)) expect(ROUTES.map(key)).toContain(k);
  });

  for (const route of ROUTES.filter((r) => !(key(r) in NOT_IN_MATRIX))) {
    it(`${key(route)}: every caller gets exactly what can() allows`, async () => {
      const handler = await handlerOf(route);
      const fixture = FIXTURES[key(route)];
      expect(fixture, `add ${key(route)} to the access matrix`).toBeDefined();
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const caller of principals) {
        const { afterCall, ...request } = await fixture!(world, caller);
        const auth: CallOptions = caller.token
          ? { origin: null, headers: { authorization: `Bearer ${caller.token.secret}`, "x-forwarded-for": caller.token.address } }
          : { as: caller.user };
        const res = await call(handler, { method: route.method, path: route.path, ...auth, ...request });
        afterCall?.(res.status);
        await keepSignedIn(caller);
        outcomes.push(`${caller.name}: ${res.status}${res.status >= 400 ? ` ${res.body?.error?.code}` : ""}`);
        expected.push(`${caller.name}: ${expectedStatus(route, caller)}`);
        if (res.status >= 400) expect(res.body?.error?.code, `${caller.name}: JSON error shape`).toEqual(expect.any(String));
      }
      expect(outcomes.map((o) => o.replace(/ [a-z_]+$/, "")), outcomes.join(", ")).toEqual(expected);
    });
  }
});

// The same callers on the collaboration server: who may open the article's rooms, and whose writes
// to each room the server takes. A write is one small change of the kind the room's action covers.
const ROOM_WRITES: Record<RoomKind, { action: Action; write(doc: Y.Doc, by: string, marker: string): void; landed(doc: Y.Doc, marker: string): boolean }> = {
  body: {
    action: "body:edit",
    write: (doc, _by, marker) => insertIntoParagraph(doc, 0, 0, `${marker} `),
    landed: (doc, marker) => bodyText(doc).includes(marker),
  },
  review: {
    action: "comment:write",
    write: (doc, by, marker) => void createThread(doc, { kind: "comment", anchor: world.session.anchor(CLAIM), by, message: { body: marker, mentions: [] } }),
    landed: (doc, marker) => JSON.stringify(threadsMap(doc).toJSON()).includes(marker),
  },
  summary: {
    action: "summary:edit",
    write: (doc, by, marker) => setTakeaway(doc, { by, takeaway: marker }),
    landed: (doc, marker) => readSummary(doc).takeaway.includes(marker),
  },
};

describe("the access matrix on the collaboration server", () => {
  let server: CollabHarness;
  beforeAll(async () => {
    server = await startCollab({ db: app.db });
  });
  afterAll(async () => {
    await server.close();
  });

  /**
   * A ticket as the caller would hold one: an API token's from the ticket route (undefined when the
   * token is refused there); a person's signed directly, so that strangers hold a valid one too.
   */
  async function ticketOf(caller: Principal): Promise<string | undefined> {
    if (caller.token) {
      const handler = await handlerOf(routeOf("POST /api/articles/{id}/collab-ticket"));
      const res = await call(handler, { params: article(world), origin: null, headers: { authorization: `Bearer ${caller.token.secret}`, "x-forwarded-for": caller.token.address } });
      return res.status === 200 ? (res.body as { ticket: string }).ticket : undefined;
    }
    return caller.user && signTicket({ user: caller.user, articleId: world.session.article.id, secret: app.secret, expiresAt: new Date(Date.now() + 60_000) });
  }

  it("opens the rooms to members and guests of the article only", async () => {
    for (const room of Object.keys(ROOM_WRITES) as RoomKind[]) {
      for (const caller of principals) {
        const { status } = await tryUpgrade(server.serverUrl, world.session.article.id, room, await ticketOf(caller));
        const refusedToken = caller.token && !caller.token.live;
        const expected = !caller.user || refusedToken ? 401 : caller.grant && !caller.stranger ? "open" : 403;
        expect(`${room} ${caller.name}: ${status}`).toBe(`${room} ${caller.name}: ${expected}`);
      }
    }
  });

  for (const room of Object.keys(ROOM_WRITES) as RoomKind[]) {
    it(`${room}: a write is taken exactly when can() allows ${ROOM_WRITES[room].action}`, async () => {
      const { action, write, landed } = ROOM_WRITES[room];
      for (const caller of principals.filter((p) => p.grant && (!p.token || p.token.live))) {
        const marker = `MATRIX-${room}-${caller.name.replace(/ /g, "-")}-${++counter}`;
        const client: TestClient = await connectClient({ serverUrl: server.serverUrl, articleId: world.session.article.id, room, user: caller.user!, mint: async () => (await ticketOf(caller))! });
        try {
          write(client.doc, caller.user!.id, marker);
          const stored = () => {
            const held = server.collab.registry.find({ articleId: world.session.article.id, room });
            return held ? landed(held.doc, marker) : false;
          };
          const refused = () => client.denied.length > 0 || client.closes.length > 0;
          await eventually(() => expect(stored() || refused(), `${caller.name} got no answer`).toBe(true));
          expect(`${caller.name}: ${stored() ? "taken" : "refused"}`).toBe(`${caller.name}: ${can(caller.grant!, action) ? "taken" : "refused"}`);
        } finally {
          client.destroy();
        }
      }
    });
  }
});
