import { afterEach, expect } from "vitest";
import { RATE_LIMITS, resetRateLimits, type RateLimit, type RateLimitName } from "@/lib/rate-limits";
import type { CallResult } from "./api";

const WINDOW_SECONDS = 600;

/**
 * Lets a test lower a named rate limit (to a few points in a 10-minute window) so that it can be
 * reached quickly; after each test the limits are restored and every counter is cleared.
 */
export function useLowerableRateLimits(): (name: RateLimitName, points: number) => void {
  const saved = new Map<RateLimitName, RateLimit>();
  afterEach(() => {
    for (const [name, limit] of saved) RATE_LIMITS[name] = limit;
    saved.clear();
    resetRateLimits();
  });
  return (name, points) => {
    if (!saved.has(name)) saved.set(name, { ...RATE_LIMITS[name] });
    RATE_LIMITS[name] = { points, durationSeconds: WINDOW_SECONDS };
  };
}

/** Asserts a 429 in the API's error shape with a whole number of seconds in Retry-After, within the window. */
export function expectRateLimited(res: CallResult): void {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}
