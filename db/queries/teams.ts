import slugify from "@sindresorhus/slugify";
import { and, asc, eq, like, or } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/model/roles";
import type { TeamSettings } from "@/model/verdict-scale";
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

/** True when `error`, or an error it wraps (drizzle wraps driver errors), is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const { code, constraint_name } = e as { code?: unknown; constraint_name?: unknown };
    if (code === "23505" && constraint_name === constraint) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a transaction that picks a slug with freeSlug() again when a concurrent one took the same slug
 * first (the unique index refuses the second insert). The retry sees the committed slug and moves on.
 */
export async function retryOnSlugClash<T>(constraint: string, attempt: () => Promise<T>, tries = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= tries || !isUniqueViolation(error, constraint)) throw error;
    }
  }
}

/** Creates a desk with its creator as owner. */
export async function createTeam(db: Database, params: { name: string; slug?: string; ownerId: string }): Promise<Team> {
  return retryOnSlugClash("teams_slug_key", () => createTeamOnce(db, params));
}

async function createTeamOnce(db: Database, params: { name: string; slug?: string; ownerId: string }): Promise<Team> {
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

/** Replaces a desk's settings and records who changed them. */
export async function updateTeamSettings(db: Database, params: { teamId: string; settings: TeamSettings; actorId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(teams).set({ settings: params.settings }).where(eq(teams.id, params.teamId));
    await recordAudit(tx, { teamId: params.teamId, actorId: params.actorId, action: "team.settings", targetType: "team", targetId: params.teamId });
  });
}
