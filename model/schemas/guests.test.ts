import { describe, expect, it } from "vitest";
import { createGuestInviteInput, GUEST_ACCESS_MAX_DAYS, guestAccessEndProblem } from "./guests";

const DAY = 86_400_000;

describe("guestAccessEndProblem", () => {
  const now = new Date("2030-01-15T12:00:00Z");

  it("accepts an end between now and the most days guest access may last", () => {
    expect(guestAccessEndProblem(new Date(now.getTime() + 60_000), now)).toBeNull();
    expect(guestAccessEndProblem(new Date(now.getTime() + GUEST_ACCESS_MAX_DAYS * DAY), now)).toBeNull();
  });

  it("refuses an end that is not in the future, too far off, or not a date", () => {
    expect(guestAccessEndProblem(now, now)).toMatch(/future/);
    expect(guestAccessEndProblem(new Date(now.getTime() - DAY), now)).toMatch(/future/);
    expect(guestAccessEndProblem(new Date(now.getTime() + GUEST_ACCESS_MAX_DAYS * DAY + 1), now)).toMatch(/at most 366 days/);
    expect(guestAccessEndProblem(new Date("nonsense"), now)).toMatch(/valid date/);
  });
});

describe("createGuestInviteInput", () => {
  const inDays = (days: number) => new Date(Date.now() + days * DAY);

  it("takes a guest role and an instant, or a bare date as the end of that UTC day", () => {
    const instant = inDays(30);
    expect(createGuestInviteInput.parse({ role: "commenter", accessExpiresAt: instant.toISOString() })).toEqual({ role: "commenter", accessExpiresAt: instant });
    const day = inDays(10).toISOString().slice(0, 10);
    expect(createGuestInviteInput.parse({ role: "viewer", accessExpiresAt: day }).accessExpiresAt.toISOString()).toBe(`${day}T23:59:59.999Z`);
    const withOffset = createGuestInviteInput.parse({ role: "viewer", accessExpiresAt: `${day}T23:59:59.999+02:00` });
    expect(withOffset.accessExpiresAt.toISOString()).toBe(`${day}T21:59:59.999Z`);
  });

  it.each([
    { role: "editor", accessExpiresAt: inDays(5).toISOString() },
    { role: "owner", accessExpiresAt: inDays(5).toISOString() },
    { role: "commenter", accessExpiresAt: inDays(-1).toISOString() },
    { role: "commenter", accessExpiresAt: inDays(400).toISOString() },
    { role: "commenter", accessExpiresAt: "next week" },
    { role: "commenter" },
  ])("refuses %j", (body) => {
    expect(createGuestInviteInput.safeParse(body).success).toBe(false);
  });
});
