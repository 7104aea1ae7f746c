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

/**
 * Counts one action against a limit, and refuses it (429 `rate_limited` with `Retry-After`) once the
 * key has used up its points for the current window.
 */
export async function consumeRateLimit(name: RateLimitName, key: string): Promise<void> {
  try {
    await limiter(name).consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const wait = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new AppError("rate_limited", `Too many requests. Try again in ${wait} second(s).`, { retryAfterSeconds: wait });
  }
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
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
}
