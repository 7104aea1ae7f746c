import type { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import type { Action } from "@/model/permissions";
import { exportQuery, publishInput, unpublishInput } from "@/model/publishing/api";
import { compareRevisionsQuery, createRevisionInput, listRevisionsQuery } from "@/model/revisions/api";
import { createInviteInput, createTeamInput, importArticleInput, listArticlesQuery, signUpInput, updateMemberInput } from "@/model/schemas";
import { changePasswordInput, createApiTokenInput } from "@/model/schemas/account";
import { auditQuery } from "@/model/schemas/audit";
import { createGuestInviteInput } from "@/model/schemas/guests";
import { teamSettingsInput } from "@/model/verdict-scale";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call a route: anyone, any signed-in user, or a member whose role `can()` perform the action
 * (the handler asks `requireTeamAccess`/`requireArticleAccess` with exactly this action).
 */
export type Caller = { kind: "public" } | { kind: "signed-in" } | { kind: "member"; action: Action };

/** The main (successful) answer of a route. */
export interface RouteResponse {
  status: number;
  description: string;
  /** Omitted for a response without a body (204). */
  contentType?: string;
  /** JSON Schema of the body; the top-level keys the handler returns, when there is no zod schema for it. */
  schema?: Record<string, unknown>;
}

/** One route handler as the OpenAPI document describes it. */
export interface RouteDoc {
  method: HttpMethod;
  /** The path with `{param}` placeholders, as OpenAPI writes it. */
  path: string;
  summary: string;
  caller: Caller;
  body?: z.ZodType;
  query?: z.ZodType;
  response: RouteResponse;
  /** Error codes this route answers with beyond those every route of its kind shares. */
  errors?: ErrorCode[];
  /** Other non-error answers (a degraded health check). */
  otherResponses?: RouteResponse[];
  /** Extra words for routes that do not follow the JSON conventions (next-auth). */
  description?: string;
  /** Only a browser session may call it: an API token is refused with 403 (token management, desk creation...). */
  sessionOnly?: boolean;
}

const ANYONE: Caller = { kind: "public" };
const SIGNED_IN: Caller = { kind: "signed-in" };
const member = (action: Action): Caller => ({ kind: "member", action });

// Hand-written outlines of JSON answers whose types are TypeScript interfaces, not zod schemas: the
// keys are checked by hand against the handlers; the values are described only as far as is stable.
const object = (required: string[], properties: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "object",
  required,
  properties: { ...Object.fromEntries(required.map((k) => [k, {}])), ...properties },
});
const ok = (description: string, schema: Record<string, unknown>, status = 200): RouteResponse => ({
  status,
  description,
  contentType: "application/json",
  schema,
});
const noContent: RouteResponse = { status: 204, description: "Done; no body." };

const teamRef = { $ref: "#/components/schemas/TeamWithRole" };

/** Every route handler under app/api, one entry per exported method. The test keeps this list exact. */
export const ROUTES: readonly RouteDoc[] = [
  {
    method: "GET",
    path: "/api/openapi.json",
    summary: "This OpenAPI document.",
    caller: ANYONE,
    response: ok("The OpenAPI 3.1 document.", { type: "object" }),
  },
  {
    method: "GET",
    path: "/api/health",
    summary: "Reports whether the database answers and how the process's components are (the collaboration server's unsaved log, the Redis relay).",
    caller: ANYONE,
    response: ok("The database answers and every component is well; `components` appears once a component has reported.", object(["status", "database"], { components: { type: "object" } })),
    otherResponses: [
      { ...ok("The database does not answer, or a component is unhealthy (`status: degraded`).", object(["status", "database"], { components: { type: "object" } })), status: 503 },
    ],
  },
  {
    method: "GET",
    path: "/api/auth/{nextauth}",
    summary: "next-auth's own endpoints (session, csrf, providers, sign-out callback).",
    description: "A catch-all handled by next-auth; `{nextauth}` stands for one or more path segments. Not JSON-error shaped.",
    caller: ANYONE,
    response: { status: 200, description: "next-auth's answer (JSON or a redirect)." },
  },
  {
    method: "POST",
    path: "/api/auth/{nextauth}",
    summary: "next-auth's sign-in and sign-out endpoints (form posts with a CSRF token).",
    description:
      "A catch-all handled by next-auth; `{nextauth}` stands for one or more path segments. Not JSON-error shaped, except that an email and password sign-in for a locked-out account or address is answered 429 with Retry-After and the JSON error shape (plus next-auth's `url`).",
    caller: ANYONE,
    response: { status: 200, description: "next-auth's answer (JSON or a redirect)." },
    errors: ["rate_limited"],
  },
  {
    method: "POST",
    path: "/api/signup",
    summary: "Creates an account; the client then signs in through next-auth.",
    caller: ANYONE,
    body: signUpInput,
    response: ok("The new account.", object(["user"]), 201),
    errors: ["conflict", "rate_limited"],
  },
  {
    method: "GET",
    path: "/api/teams",
    summary: "The signed-in user's desks.",
    caller: SIGNED_IN,
    response: ok("The desks with the caller's role in each.", object(["teams"], { teams: { type: "array", items: teamRef } })),
  },
  {
    method: "POST",
    path: "/api/teams",
    summary: "Creates a desk owned by the signed-in user.",
    caller: SIGNED_IN,
    sessionOnly: true,
    body: createTeamInput,
    response: ok("The new desk.", object(["team"], { team: teamRef }), 201),
    errors: ["conflict"],
  },
  {
    method: "GET",
    path: "/api/teams/{team}",
    summary: "One desk, with the caller's role.",
    caller: member("team:view"),
    response: ok("The desk.", object(["team"], { team: teamRef })),
  },
  {
    method: "GET",
    path: "/api/teams/{team}/articles",
    summary: "A page of the desk's articles, most recently active first.",
    caller: member("article:view"),
    query: listArticlesQuery,
    response: ok("The articles.", object(["articles"], { articles: { type: "array" } })),
  },
  {
    method: "POST",
    path: "/api/teams/{team}/articles",
    summary: "Imports an article: its text, reduced to the editor schema, and where it came from.",
    caller: member("article:import"),
    body: importArticleInput,
    response: ok("The new article.", object(["article"]), 201),
  },
  {
    method: "GET",
    path: "/api/teams/{team}/audit",
    summary: "The desk's audit log, newest first, as JSON pages or (format=csv) a CSV attachment.",
    caller: member("audit:view"),
    query: auditQuery,
    response: ok("A page of events and the cursor of the next (CSV: text/csv attachment).", object(["events", "nextBefore"])),
  },
  {
    method: "GET",
    path: "/api/teams/{team}/members",
    summary: "The desk's members and their roles.",
    caller: member("member:view"),
    response: ok("The members.", object(["members"], { members: { type: "array" } })),
  },
  {
    method: "PATCH",
    path: "/api/teams/{team}/members/{userId}",
    summary: "Changes a member's role (the last owner stays).",
    caller: member("member:manage"),
    body: updateMemberInput,
    response: ok("The member's new role.", object(["member"])),
    errors: ["conflict"],
  },
  {
    method: "DELETE",
    path: "/api/teams/{team}/members/{userId}",
    summary: "Removes a member (the last owner stays).",
    caller: member("member:manage"),
    response: noContent,
    errors: ["conflict"],
  },
  {
    method: "GET",
    path: "/api/teams/{team}/invites",
    summary: "The desk's live invite links (without their secrets).",
    caller: member("member:manage"),
    response: ok("The live invites.", object(["invites"], { invites: { type: "array" } })),
  },
  {
    method: "POST",
    path: "/api/teams/{team}/invites",
    summary: "Creates an invite link carrying a role; the link is shown once.",
    caller: member("member:manage"),
    body: createInviteInput,
    response: ok("The invite with its token and URL.", object(["invite"]), 201),
    errors: ["rate_limited"],
  },
  {
    method: "DELETE",
    path: "/api/teams/{team}/invites/{inviteId}",
    summary: "Revokes an invite link.",
    caller: member("member:manage"),
    response: noContent,
  },
  {
    method: "GET",
    path: "/api/teams/{team}/settings",
    summary: "The desk's settings: its verdict scale and approval rules.",
    caller: member("team:view"),
    response: ok("The settings.", object(["settings"])),
  },
  {
    method: "PUT",
    path: "/api/teams/{team}/settings",
    summary: "Replaces the desk's settings.",
    caller: member("team:update"),
    body: teamSettingsInput,
    response: ok("The settings as stored.", object(["settings"])),
  },
  {
    method: "GET",
    path: "/api/invites/{token}",
    summary: "What an invite link offers: the desk's name and the role. Only the link's holder can ask.",
    caller: ANYONE,
    response: ok("The invite.", object(["invite"])),
  },
  {
    method: "POST",
    path: "/api/invites/{token}/accept",
    summary: "Joins the signed-in user to the invite's desk.",
    caller: SIGNED_IN,
    sessionOnly: true,
    response: ok("The desk joined.", object(["team"], { team: teamRef })),
    errors: ["not_found"],
  },
  {
    method: "GET",
    path: "/api/guest-invites/{token}",
    summary: "What a guest link offers: the desk's name, the article's title, the role and the access end. Only the link's holder can ask.",
    caller: ANYONE,
    response: ok("The guest link.", object(["invite"])),
  },
  {
    method: "POST",
    path: "/api/guest-invites/{token}/accept",
    summary: "Makes the signed-in user a guest of the link's article (single use); a member of its desk is just sent there.",
    caller: SIGNED_IN,
    sessionOnly: true,
    response: ok("The article and the role the user now has on it.", object(["article", "guest", "role"])),
    errors: ["not_found"],
  },
  {
    method: "GET",
    path: "/api/articles/{id}/guests",
    summary: "The article's guests and its guest links nobody has taken yet (without their secrets).",
    caller: member("member:manage"),
    response: ok("The guests and the pending links.", object(["guests", "invites"], { guests: { type: "array" }, invites: { type: "array" } })),
  },
  {
    method: "POST",
    path: "/api/articles/{id}/guests",
    summary: "Creates a single-use link that makes its taker a guest of this one article, with a role, until a date; the link is shown once.",
    caller: member("member:manage"),
    body: createGuestInviteInput,
    response: ok("The guest link with its token and URL.", object(["invite"]), 201),
    errors: ["rate_limited"],
  },
  {
    method: "DELETE",
    path: "/api/articles/{id}/guests/{userId}",
    summary: "Ends a guest's access to the article at once; their open connections are closed.",
    caller: member("member:manage"),
    response: noContent,
  },
  {
    method: "DELETE",
    path: "/api/articles/{id}/guest-invites/{inviteId}",
    summary: "Revokes a guest link nobody has taken yet.",
    caller: member("member:manage"),
    response: noContent,
  },
  {
    method: "GET",
    path: "/api/articles/{id}",
    summary: "One article with its text and metadata.",
    caller: member("article:view"),
    response: ok("The article.", object(["article"])),
  },
  {
    method: "GET",
    path: "/api/articles/{id}/claims",
    summary: "The article's claims with their quotes, verdicts and evidence.",
    caller: member("article:view"),
    response: ok("The claims.", object(["claims"], { claims: { type: "array" } })),
  },
  {
    method: "GET",
    path: "/api/articles/{id}/claims/{claimId}/history",
    summary: "Every change to one claim, attributed to who made it.",
    caller: member("revision:view"),
    response: ok("The history and the people in it.", object(["entries", "people"])),
  },
  {
    method: "POST",
    path: "/api/articles/{id}/collab-ticket",
    summary: "A short-lived ticket for the collaboration websocket, bound to the user, the article and the role.",
    caller: member("article:view"),
    response: ok("The ticket, the websocket URL and the room names; `readOnly` for an API token without the write scope.", object(["ticket", "url", "rooms", "role", "readOnly", "expiresAt"])),
    errors: ["rate_limited"],
  },
  {
    method: "GET",
    path: "/api/articles/{id}/export",
    summary: "The article as W3C Web Annotations, ClaimReview JSON-LD or annotated Markdown (an attachment).",
    caller: member("article:view"),
    query: exportQuery,
    response: { status: 200, description: "The file, as an attachment.", contentType: "application/octet-stream", schema: { type: "string" } },
  },
  {
    method: "GET",
    path: "/api/articles/{id}/publications",
    summary: "The article's publications, newest first, and whether its public page is up.",
    caller: member("article:view"),
    response: ok("The publication history.", { type: "object" }),
  },
  {
    method: "POST",
    path: "/api/articles/{id}/publications",
    summary: "Publishes the article with the chosen claims (409 `not_approved` lists the claims holding it back).",
    caller: member("article:publish"),
    body: publishInput,
    response: ok("The new publication.", { type: "object" }, 201),
    errors: ["not_approved", "conflict"],
  },
  {
    method: "POST",
    path: "/api/articles/{id}/unpublish",
    summary: "Takes the article's public page down (it answers 410 with the reason from then on).",
    caller: member("article:publish"),
    body: unpublishInput,
    response: ok("The unpublished state.", { type: "object" }),
    errors: ["conflict"],
  },
  {
    method: "GET",
    path: "/api/articles/{id}/revisions",
    summary: "The article's revisions, newest first, a page at a time (`before` = the last number seen).",
    caller: member("revision:view"),
    query: listRevisionsQuery,
    response: ok("A page of revisions.", { type: "object" }),
  },
  {
    method: "POST",
    path: "/api/articles/{id}/revisions",
    summary: "Saves a named version of the article as it is now.",
    caller: member("revision:create"),
    body: createRevisionInput,
    response: ok("The new revision.", object(["revision"]), 201),
  },
  {
    method: "GET",
    path: "/api/articles/{id}/revisions/compare",
    summary: "What changed between two revisions (`from`, `to`: a number or `current`).",
    caller: member("revision:view"),
    query: compareRevisionsQuery,
    response: ok("The comparison.", { type: "object" }),
  },
  {
    method: "GET",
    path: "/api/articles/{id}/revisions/{rev}",
    summary: "One revision's content for the read-only view; `current` is the article now.",
    caller: member("revision:view"),
    response: ok("The revision.", { type: "object" }),
  },
  {
    method: "POST",
    path: "/api/articles/{id}/revisions/{rev}/restore",
    summary: "Brings a revision back as new operations that connected editors receive live.",
    caller: member("revision:restore"),
    response: ok("The revisions before and after, and the one restored.", object(["before", "restored", "after"])),
  },
  {
    method: "GET",
    path: "/api/tokens",
    summary: "The signed-in user's personal API tokens (name, prefix, scopes, dates), never their secrets.",
    caller: SIGNED_IN,
    sessionOnly: true,
    response: ok("The tokens that are not revoked, newest first.", object(["tokens"], { tokens: { type: "array" } })),
  },
  {
    method: "POST",
    path: "/api/tokens",
    summary: "Creates a personal API token (scopes read < write < admin, an expiry within a year); the secret is in this answer only.",
    caller: SIGNED_IN,
    sessionOnly: true,
    body: createApiTokenInput,
    response: ok("The token and its secret, shown this once.", object(["token", "secret"]), 201),
    errors: ["rate_limited"],
  },
  {
    method: "DELETE",
    path: "/api/tokens/{id}",
    summary: "Revokes one of the signed-in user's API tokens; it stops working at once.",
    caller: SIGNED_IN,
    sessionOnly: true,
    response: noContent,
  },
  {
    method: "POST",
    path: "/api/account/password",
    summary: "Changes the password; every other session ends, this browser gets a new session cookie.",
    caller: SIGNED_IN,
    sessionOnly: true,
    body: changePasswordInput,
    response: { status: 204, description: "Changed; the answer sets a new session cookie." },
    errors: ["forbidden", "rate_limited"],
  },
  {
    method: "POST",
    path: "/api/account/sign-out-everywhere",
    summary: "Ends every session of the signed-in user, this browser's included (its cookie is cleared).",
    caller: SIGNED_IN,
    sessionOnly: true,
    response: { status: 204, description: "Signed out; the answer clears the session cookie." },
  },
];
