import { z } from "zod";
import { GUEST_ROLES } from "../permissions";
import type { Role } from "../roles";

const DAY_MS = 86_400_000;

/** How long a guest link works if nobody takes it. */
export const GUEST_LINK_DAYS = 7;

/** The longest a guest's access may last from the moment it is granted: a year and a day of slack for "same date next year". */
export const GUEST_ACCESS_MAX_DAYS = 366;

/** A guest's role on the one article they are invited to: viewer or commenter. */
export const guestRole = z.enum(GUEST_ROLES);

/**
 * Why `end` cannot be the end of a guest's access (counted from `now`), or null when it can: it must
 * lie in the future and at most GUEST_ACCESS_MAX_DAYS ahead.
 */
export function guestAccessEndProblem(end: Date, now: Date = new Date()): string | null {
  if (Number.isNaN(end.getTime())) return "Choose a valid date.";
  if (end.getTime() <= now.getTime()) return "The end of the guest's access must be in the future.";
  if (end.getTime() - now.getTime() > GUEST_ACCESS_MAX_DAYS * DAY_MS) return `Guest access can last at most ${GUEST_ACCESS_MAX_DAYS} days.`;
  return null;
}

/**
 * When the guest's access ends: an exact instant with its offset (the page sends the end of the
 * owner's local day), or a bare date, taken as the end of that UTC day.
 */
export const guestAccessEnd = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((value, ctx) => {
  const end = new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value);
  const problem = guestAccessEndProblem(end);
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return end;
});

/** Body of POST /api/articles/:id/guests. */
export const createGuestInviteInput = z.object({
  role: guestRole,
  accessExpiresAt: guestAccessEnd,
});
export type CreateGuestInviteInput = z.infer<typeof createGuestInviteInput>;

/** A guest of an article as its owners see them. */
export interface GuestView {
  userId: string;
  name: string;
  email: string;
  role: z.infer<typeof guestRole>;
  /** ISO instant when the access ends (or ended). */
  expiresAt: string;
  /** ISO instant when the access was granted. */
  createdAt: string;
}

/** A guest link nobody has taken yet. */
export interface GuestInviteView {
  id: string;
  role: z.infer<typeof guestRole>;
  /** ISO instant when the link stops working. */
  expiresAt: string;
  /** ISO instant when the access it grants would end. */
  accessExpiresAt: string;
  createdAt: string;
}

/** Body of GET /api/articles/:id/guests. */
export interface GuestList {
  guests: GuestView[];
  invites: GuestInviteView[];
}

/** Body of POST /api/articles/:id/guests: the link, shown once. */
export interface CreatedGuestInvite {
  invite: GuestInviteView & { token: string; url: string };
}

/** Body of GET /api/guest-invites/:token: what the link offers, for its landing page. */
export interface GuestInvitePreview {
  invite: { team: { name: string }; article: { title: string }; role: z.infer<typeof guestRole>; expiresAt: string; accessExpiresAt: string };
}

/** Body of POST /api/guest-invites/:token/accept: where to go next. */
export interface AcceptedGuestInvite {
  article: { id: string; title: string; teamSlug: string; path: string };
  /** False when the user turned out to be a member of the desk already (no guest access was created). */
  guest: boolean;
  /** The role the user holds on the article now (their member role when `guest` is false). */
  role: Role;
}
