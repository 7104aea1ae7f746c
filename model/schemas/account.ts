import { z } from "zod";
import { LIMITS } from "../limits";
import { API_SCOPES, topScope, type ApiScope } from "../permissions";
import { signUpInput } from "./auth";
import { requiredText } from "./common";

/** Every personal API token's secret starts with this, so leaked secrets are easy to recognise (and scan for). */
export const API_TOKEN_SECRET_PREFIX = "fdt_";

/** The longest name a token can have. */
export const API_TOKEN_NAME_CHARS = 100;

/** The furthest ahead a token's expiry may be set, in days. */
export const API_TOKEN_MAX_DAYS = 366;

/** What each scope lets a token do, for the account page and the API description. */
export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  read: "Read desks, articles, claims, revisions and exports.",
  write: "Also import articles, save versions, publish, and edit live documents.",
  admin: "Also manage members and invites, change desk settings and read the audit log.",
};

/**
 * The scopes a token holds, as the whole ladder up to its highest one: `["write"]` becomes
 * `["read", "write"]`. Stored that way, a token's list says plainly everything it can do.
 */
export function scopeLadder(scopes: readonly ApiScope[]): ApiScope[] {
  const top = topScope(scopes);
  return top === undefined ? [] : API_SCOPES.slice(0, API_SCOPES.indexOf(top) + 1);
}

// A calendar day (the token works until that UTC day ends) or an exact instant with its offset; the
// account page sends the end of the chosen day in the viewer's own time zone.
const expiryInput = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

function expiryInstant(value: string): Date {
  return new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value);
}

/** Body of POST /api/tokens. */
export const createApiTokenInput = z
  .object({
    name: requiredText(API_TOKEN_NAME_CHARS),
    scopes: z.array(z.enum(API_SCOPES)).min(1, "Choose at least one scope").max(API_SCOPES.length),
    expiresAt: expiryInput,
  })
  .strict()
  .transform(({ name, scopes, expiresAt }, ctx) => {
    const at = expiryInstant(expiresAt);
    const now = Date.now();
    if (at.getTime() <= now) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Choose an expiry date in the future." });
      return z.NEVER;
    }
    if (at.getTime() > now + API_TOKEN_MAX_DAYS * 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: `A token can last at most ${API_TOKEN_MAX_DAYS} days.` });
      return z.NEVER;
    }
    return { name, scopes: scopeLadder(scopes), expiresAt: at };
  });
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

/** A token as GET /api/tokens lists it: never its secret or its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  /** The secret's first characters, to tell tokens apart. */
  prefix: string;
  scopes: ApiScope[];
  /** ISO instants. */
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  expired: boolean;
}

/** Body of GET /api/tokens. */
export interface ApiTokenList {
  tokens: ApiTokenView[];
}

/** Body of POST /api/tokens: the token and, this one time only, its secret. */
export interface CreatedApiToken {
  token: ApiTokenView;
  secret: string;
}

/** Body of POST /api/account/password. */
export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Required").max(LIMITS.passwordMaxChars),
    newPassword: signUpInput.shape.password,
  })
  .strict()
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a new password that differs from the current one." });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** A stored token as apiTokenView needs it (a structural type: model/ does not know the database). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
}

/** How a stored token is shown: dates as ISO instants, and whether it has expired by `now`. */
export function apiTokenView(token: ApiTokenRecord, now: Date = new Date()): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: scopeLadder(token.scopes),
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt.toISOString(),
    expired: token.expiresAt.getTime() <= now.getTime(),
  };
}
