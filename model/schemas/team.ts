import { z } from "zod";
import { LIMITS } from "../limits";
import { ROLES } from "../roles";
import { requiredText, slug } from "./common";

/** Body of POST /api/teams. */
export const createTeamInput = z.object({
  name: requiredText(LIMITS.teamNameChars),
  slug: slug.optional(),
});
export type CreateTeamInput = z.infer<typeof createTeamInput>;

export const role = z.enum(ROLES);

/** Body of PATCH /api/teams/:team/members/:userId. */
export const updateMemberInput = z.object({ role });
export type UpdateMemberInput = z.infer<typeof updateMemberInput>;

/** Body of POST /api/teams/:team/invites. */
export const createInviteInput = z.object({
  role,
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type CreateInviteInput = z.infer<typeof createInviteInput>;
