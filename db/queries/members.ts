import { and, asc, count, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { ROLE_RANK, type Role } from "@/model/roles";
import type { Database, DbOrTx, Transaction } from "../client";
import { memberships, teams, users } from "../schema";
import { recordAudit } from "./audit";

export interface Member {
  userId: string;
  name: string;
  email: string;
  image: string | null;
  role: Role;
  joinedAt: Date;
}

/** The members of a desk, owners first. */
export async function listMembers(db: DbOrTx, params: { teamId: string }): Promise<Member[]> {
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      image: users.image,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.teamId, params.teamId))
    .orderBy(asc(users.name));
  return rows.sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role]);
}

/** A user's role on a desk, or undefined when not a member. */
export async function getRole(db: DbOrTx, params: { teamId: string; userId: string }): Promise<Role | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, params.teamId), eq(memberships.userId, params.userId)));
  return row?.role;
}

// Serialises membership changes per desk: two owners demoting each other at once must not leave none.
async function lockTeam(tx: Transaction, teamId: string): Promise<void> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("update");
}

async function assertNotLastOwner(tx: Transaction, teamId: string, userId: string): Promise<void> {
  const current = await getRole(tx, { teamId, userId });
  if (current !== "owner") return;
  const [row] = await tx
    .select({ owners: count() })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, "owner")));
  if ((row?.owners ?? 0) <= 1) throw new AppError("conflict", "A desk must keep at least one owner.");
}

/** Changes a member's role; refuses to demote the last owner. */
export async function changeMemberRole(
  db: Database,
  params: { teamId: string; userId: string; role: Role; actorId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockTeam(tx, params.teamId);
    const current = await getRole(tx, params);
    if (!current) throw new AppError("not_found", "That person is not a member of this desk.");
    if (current === params.role) return;
    if (params.role !== "owner") await assertNotLastOwner(tx, params.teamId, params.userId);
    await tx
      .update(memberships)
      .set({ role: params.role })
      .where(and(eq(memberships.teamId, params.teamId), eq(memberships.userId, params.userId)));
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.actorId,
      action: "member.role_change",
      targetType: "user",
      targetId: params.userId,
      data: { from: current, to: params.role },
    });
  });
}

/** Removes a member; refuses to remove the last owner. */
export async function removeMember(db: Database, params: { teamId: string; userId: string; actorId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await lockTeam(tx, params.teamId);
    const current = await getRole(tx, params);
    if (!current) throw new AppError("not_found", "That person is not a member of this desk.");
    await assertNotLastOwner(tx, params.teamId, params.userId);
    await tx.delete(memberships).where(and(eq(memberships.teamId, params.teamId), eq(memberships.userId, params.userId)));
    await recordAudit(tx, {
      teamId: params.teamId,
      actorId: params.actorId,
      action: "member.remove",
      targetType: "user",
      targetId: params.userId,
      data: { role: current },
    });
  });
}

/** Adds a member, or raises an existing member's role to `role` if that is higher (never lowers it). */
export async function addMember(tx: DbOrTx, params: { teamId: string; userId: string; role: Role }): Promise<Role> {
  const current = await getRole(tx, params);
  if (current && ROLE_RANK[current] >= ROLE_RANK[params.role]) return current;
  await tx
    .insert(memberships)
    .values(params)
    .onConflictDoUpdate({ target: [memberships.teamId, memberships.userId], set: { role: params.role } });
  return params.role;
}

/** The current roles of some users on a desk; users who are no longer members are absent. */
export async function getRoles(db: DbOrTx, params: { teamId: string; userIds: string[] }): Promise<Map<string, Role>> {
  if (!params.userIds.length) return new Map();
  const rows = await db
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, params.teamId), inArray(memberships.userId, params.userIds)));
  return new Map(rows.map((r) => [r.userId, r.role]));
}
