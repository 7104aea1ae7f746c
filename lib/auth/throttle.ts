import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";

const globalForThrottle = globalThis as unknown as { __factdeskSignInLimiters?: { account: RateLimiterMemory; ip: RateLimiterMemory } };

// Failures are counted per account and per address. Five wrong passwords lock an account for
// fifteen minutes; an address that tries many accounts is slowed down as well.
function limiters() {
  globalForThrottle.__factdeskSignInLimiters ??= {
    account: new RateLimiterMemory({ keyPrefix: "signin-account", points: 5, duration: 15 * 60, blockDuration: 15 * 60 }),
    ip: new RateLimiterMemory({ keyPrefix: "signin-ip", points: 50, duration: 15 * 60, blockDuration: 15 * 60 }),
  };
  return globalForThrottle.__factdeskSignInLimiters;
}

function retryAfter(res: RateLimiterRes | null): number | undefined {
  if (!res || res.remainingPoints > 0) return undefined;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Refuses a sign-in attempt while the account or the address is locked out. */
export async function assertSignInAllowed(params: { email: string; ip: string }): Promise<void> {
  const { account, ip } = limiters();
  const [a, i] = await Promise.all([account.get(params.email), ip.get(params.ip)]);
  const wait = retryAfter(a) ?? retryAfter(i);
  if (wait !== undefined) {
    throw new AppError("rate_limited", `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`, {
      retryAfterSeconds: wait,
    });
  }
}

/** Counts a failed sign-in against the account and the address. */
export async function recordSignInFailure(params: { email: string; ip: string }): Promise<void> {
  const { account, ip } = limiters();
  await Promise.all([account.penalty(params.email), ip.penalty(params.ip)]);
}

/** Clears the account's failures after a successful sign-in. */
export async function recordSignInSuccess(params: { email: string }): Promise<void> {
  await limiters().account.delete(params.email);
}
