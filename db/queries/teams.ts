import slugify from "@sindresorhus/slugify";
import { and, asc, eq, like, or } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/model/roles";
import type { Database, DbOrTx } from "../client";
import { memberships, teams, type Team } from "../schema";
import { recordAudit } from "./audit";

/** Picks a free slug: the wanted one, or the wanted one with the lowest free numeric suffix. */
export async function freeSlug(
  taken: (prefix: string) => Promise<string[]>,
  wanted: string,
): Promise<string> {
  const base = slugify(wanted).slice(0, 50) || "untitled";
  const existing = new Set(await taken(base));
  if (!existing.has(base)) return base;
  for (let n = 2; ; n++) if (!existing.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Creates a desk with its creator as owner. */
export async function createTeam(db: Database, params: { name: string; slug?: string; ownerId: string }): Promise<Team> {
  return db.transaction(async (tx) => {
    let slug: string;
    if (params.slug) {
      const clash = await tx.query.teams.findFirst({ where: eq(teams.slug, params.slug) });
      if (clash) throw new AppError("conflict", `The address "${params.slug}" is taken.`);
      slug = params.slug;
    } else {
      slug = await freeSlug(
        (prefix) =>
          tx
            .select({ slug: teams.slug })
            .from(teams)
            .where(or(eq(teams.slug, prefix), like(teams.slug, `${prefix}-%`)))
            .then((rows) => rows.map((r) => r.slug)),
        params.name,
      );
    }
    const [team] = await tx.insert(teams).values({ name: params.name, slug }).returning();
    if (!team) throw new AppError("internal", "The desk could not be created.");
    await tx.insert(memberships).values({ teamId: team.id, userId: params.ownerId, role: "owner" });
    await recordAudit(tx, { teamId: team.id, actorId: params.ownerId, action: "team.create", targetType: "team", targetId: team.id });
    return team;
  });
}

export interface TeamWithRole {
  team: Team;
  role: Role;
}

/** The desks a user belongs to, with their role in each. */
export async function listTeamsForUser(db: DbOrTx, params: { userId: string }): Promise<TeamWithRole[]> {
  return db
    .select({ team: teams, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, params.userId))
    .orderBy(asc(teams.name));
}

/** A desk by slug together with the user's role, or undefined when the user is not a member. */
export async function findTeamForMember(db: DbOrTx, params: { slug: string; userId: string }): Promise<TeamWithRole | undefined> {
  const [row] = await db
    .select({ team: teams, role: memberships.role })
    .from(teams)
    .innerJoin(memberships, and(eq(memberships.teamId, teams.id), eq(memberships.userId, params.userId)))
    .where(eq(teams.slug, params.slug));
  return row;
}
