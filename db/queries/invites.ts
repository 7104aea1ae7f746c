import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/model/roles";
import type { Database, DbOrTx } from "../client";
import { invites, teams, type Invite, type Team } from "../schema";
import { recordAudit } from "./audit";
import { addMember } from "./members";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Creates an invite link's token. The token is returned once; only its hash is stored. */
export async function createInvite(
  db: Database,
  params: { teamId: string; role: Role; expiresInDays: number; createdBy: string },
): Promise<{ invite: Invite; token: string }> {
  const token = randomBytes(24).toString("base64url");
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .insert(invites)
      .values({
        teamId: params.teamId,
        role: params.role,
        tokenHash: hashToken(token),
        createdBy: params.createdBy,
        expiresAt: new Date(Date.now() + params.expiresInDays * 86_400_000),
      })
      .returning();
    if (!invite) throw new AppError("internal", "The invite could not be created.");
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.createdBy,
      action: "invite.create",
      targetType: "invite",
      targetId: invite.id,
      data: { role: params.role, expiresAt: invite.expiresAt.toISOString() },
    });
    return { invite, token };
  });
}

/** A live (unexpired, unrevoked) invite with its desk, or undefined. */
export async function findLiveInvite(db: DbOrTx, params: { token: string }): Promise<{ invite: Invite; team: Team } | undefined> {
  const [row] = await db
    .select({ invite: invites, team: teams })
    .from(invites)
    .innerJoin(teams, eq(teams.id, invites.teamId))
    .where(and(eq(invites.tokenHash, hashToken(params.token)), isNull(invites.revokedAt), gt(invites.expiresAt, sql`now()`)));
  return row;
}

/** Accepts an invite for a user: they join with the invite's role, or keep a higher role they already hold. */
export async function acceptInvite(db: Database, params: { token: string; userId: string }): Promise<{ team: Team; role: Role }> {
  return db.transaction(async (tx) => {
    const live = await findLiveInvite(tx, params);
    if (!live) throw new AppError("not_found", "This invite link is invalid or has expired.");
    const role = await addMember(tx, { teamId: live.team.id, userId: params.userId, role: live.invite.role });
    await tx
      .update(invites)
      .set({ acceptedCount: sql`${invites.acceptedCount} + 1` })
      .where(eq(invites.id, live.invite.id));
    await recordAudit(tx, {
      teamId: live.team.id,
      actorId: params.userId,
      action: "invite.accept",
      targetType: "invite",
      targetId: live.invite.id,
      data: { role },
    });
    return { team: live.team, role };
  });
}

/** Lists a desk's live invites. */
export async function listLiveInvites(db: DbOrTx, params: { teamId: string }): Promise<Invite[]> {
  return db
    .select()
    .from(invites)
    .where(and(eq(invites.teamId, params.teamId), isNull(invites.revokedAt), gt(invites.expiresAt, sql`now()`)));
}

/** Revokes an invite of a desk. */
export async function revokeInvite(db: DbOrTx, params: { teamId: string; inviteId: string }): Promise<void> {
  const revoked = await db
    .update(invites)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invites.teamId, params.teamId), eq(invites.id, params.inviteId)))
    .returning({ id: invites.id });
  if (!revoked.length) throw new AppError("not_found", "No such invite.");
}
