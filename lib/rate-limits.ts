import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "./errors";

/** One limit: at most `points` actions per key within `durationSeconds`. */
export interface RateLimit {
  points: number;
  durationSeconds: number;
}

/**
 * Every request-rate limit of the API, in one place. The numbers are generous on purpose: they stop
 * scripted abuse (mass sign-ups, invite spam, ticket floods) without getting in the way of a busy desk
 * or of the test suites, which create many users and tickets from one address in a short time. Tests
 * may lower (or raise) a limit by assigning to these objects; the limiter is rebuilt on the next call.
 */
export const RATE_LIMITS = {
  /** Accounts created from one client address. */
  signUpPerAddress: { points: 100, durationSeconds: 60 * 60 },
  /** Invite links created on one desk. */
  invitesPerDesk: { points: 100, durationSeconds: 60 * 60 },
  /** Invite links created by one person, across desks. */
  invitesPerUser: { points: 200, durationSeconds: 60 * 60 },
  /** Collaboration tickets minted for one person (one per (re)connect of every open editor). */
  collabTicketsPerUser: { points: 600, durationSeconds: 10 * 60 },
  /** Requests made with one personal API token (an integration's steady pace, with room for bursts). */
  apiTokenRequests: { points: 600, durationSeconds: 60 },
  /** Refused API tokens (unknown, expired, revoked, malformed) presented from one client address. */
  apiTokenFailuresPerAddress: { points: 60, durationSeconds: 15 * 60 },
  /** Personal API tokens created by one person. */
  apiTokensCreatedPerUser: { points: 50, durationSeconds: 60 * 60 },
  /** Wrong current passwords given by one person trying to change their password. */
  passwordChangeFailuresPerUser: { points: 5, durationSeconds: 15 * 60 },
} satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;

type Entry = { config: string; limiter: RateLimiterMemory };
const globalForLimits = globalThis as unknown as { __factdeskRateLimiters?: Map<RateLimitName, Entry> };

// Kept on globalThis so Next's dev reloads and separate route bundles share one count per process.
function limiter(name: RateLimitName): RateLimiterMemory {
  const map = (globalForLimits.__factdeskRateLimiters ??= new Map());
  const { points, durationSeconds } = RATE_LIMITS[name];
  const config = `${points}/${durationSeconds}`;
  const existing = map.get(name);
  if (existing && existing.config === config) return existing.limiter;
  const created = new RateLimiterMemory({ keyPrefix: `api-${name}`, points, duration: durationSeconds });
  map.set(name, { config, limiter: created });
  return created;
}

function tooMany(res: RateLimiterRes): AppError {
  const wait = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("rate_limited", `Too many requests. Try again in ${wait} second(s).`, { retryAfterSeconds: wait });
}

/**
 * Counts one action against a limit, and refuses it (429 `rate_limited` with `Retry-After`) once the
 * key has used up its points for the current window.
 */
export async function consumeRateLimit(name: RateLimitName, key: string): Promise<void> {
  try {
    await limiter(name).consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    throw tooMany(error);
  }
}

/**
 * Refuses (429 with `Retry-After`) while the key has used up its points, without counting anything.
 * For limits on failures: check before trying, and consume only when the attempt fails, so that a
 * locked-out key cannot even try.
 */
export async function assertUnderRateLimit(name: RateLimitName, key: string): Promise<void> {
  const res = await limiter(name).get(key);
  if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw tooMany(res);
}

/** Forgets every count, for tests. */
export function resetRateLimits(): void {
  globalForLimits.__factdeskRateLimiters?.clear();
}

/**
 * The client's address as Next passes it on: Next fills `x-forwarded-for` from the socket when no
 * proxy did, so the first entry is the nearest client the server or its proxy saw.
 */
export function clientAddress(headers: Headers): string {
  return forwardedAddress(headers.get("x-forwarded-for"));
}

/** The first entry of an `x-forwarded-for` value (as next-auth hands headers over: a plain object's field). */
export function forwardedAddress(forwardedFor: unknown): string {
  return (typeof forwardedFor === "string" && forwardedFor.split(",")[0]?.trim()) || "local";
}
