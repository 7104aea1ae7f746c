import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { createInvite } from "@/db/queries/invites";
import { articleGuests } from "@/db/schema";
import { createRevision } from "@/lib/revisions";
import type { RouteDoc } from "@/lib/openapi/routes";
import { ROUTES } from "@/lib/openapi/routes";
import { can, type Action, type Grant } from "@/model/permissions";
import { approveClaim, createThread, threadsMap, updateClaim } from "@/model/review";
import type { RoomKind } from "@/model/rooms";
import { readSummary, setTakeaway } from "@/model/summary";
import type { GuestRole } from "@/model/permissions";
import { ROLES, type Role } from "@/model/roles";
import { readTeamSettings } from "@/model/verdict-scale";
import { call, createDesk, createUser, setRole, type CallOptions, type Handler, type TestDesk, type TestUser } from "../support/api";
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
}

/** One kind of caller, and the outcome it should get from a route. */
interface Principal {
  name: string;
  user?: TestUser;
  /** The caller's grant on the world's article (members and guests). */
  grant?: Grant;
  /** A member of another desk, or a guest of another article: signed in, but no right here. */
  stranger?: boolean;
}

type Request = Pick<CallOptions, "params" | "query" | "json">;
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
  if (!caller.user) return 401;
  if (needs.kind === "signed-in") return success;
  const articleScoped = route.path.startsWith("/api/articles/");
  // Desks and articles the caller has no part in do not exist for them.
  if (caller.stranger || !caller.grant) return 404;
  if (caller.grant.guest && !articleScoped) return 404;
  return can(caller.grant, needs.action as Action) ? success : 403;
}

let world: World;
let principals: Principal[];

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
  world = { desk, session, claimId, otherArticleId: other.article.id, guests: { commenter: guestCommenter!, viewer: guestViewer! }, strangerGuest: strangerGuest!, joinable: await createDesk(app, "Joinable Desk") };
  const otherDesk = await createDesk(app, "Elsewhere Desk");
  principals = [
    { name: "signed out" },
    { name: "owner of another desk", user: otherDesk.users.owner, stranger: true },
    { name: "guest of another article", user: strangerGuest!, stranger: true },
    ...ROLES.map((role: Role) => ({ name: role, user: desk.users[role], grant: { role } })),
    { name: "guest commenter", user: guestCommenter!, grant: { role: "commenter" as const, guest: true } },
    { name: "guest viewer", user: guestViewer!, grant: { role: "viewer" as const, guest: true } },
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
        const request = await fixture!(world, caller);
        const res = await call(handler, { method: route.method, path: route.path, as: caller.user, ...request });
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

  const ticketOf = (user: TestUser) => signTicket({ user, articleId: world.session.article.id, secret: app.secret, expiresAt: new Date(Date.now() + 60_000) });

  it("opens the rooms to members and guests of the article only", async () => {
    for (const room of Object.keys(ROOM_WRITES) as RoomKind[]) {
      for (const caller of principals) {
        const { status } = await tryUpgrade(server.serverUrl, world.session.article.id, room, caller.user ? await ticketOf(caller.user) : undefined);
        const expected = !caller.user ? 401 : caller.grant && !caller.stranger ? "open" : 403;
        expect(`${room} ${caller.name}: ${status}`).toBe(`${room} ${caller.name}: ${expected}`);
      }
    }
  });

  for (const room of Object.keys(ROOM_WRITES) as RoomKind[]) {
    it(`${room}: a write is taken exactly when can() allows ${ROOM_WRITES[room].action}`, async () => {
      const { action, write, landed } = ROOM_WRITES[room];
      for (const caller of principals.filter((p) => p.grant)) {
        const marker = `MATRIX-${room}-${caller.name.replace(/ /g, "-")}-${++counter}`;
        const client: TestClient = await connectClient({ serverUrl: server.serverUrl, articleId: world.session.article.id, room, user: caller.user!, mint: () => ticketOf(caller.user!) });
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
