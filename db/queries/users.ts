import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Database, DbOrTx } from "../client";
import { accounts, users, type User } from "../schema";
import { recordAudit } from "./audit";

/** Creates a user; a taken email is a conflict. */
export async function createUser(
  db: DbOrTx,
  params: { email: string; name: string; passwordHash: string | null; image?: string | null },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email: params.email.toLowerCase(), name: params.name, passwordHash: params.passwordHash, image: params.image ?? null })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!user) throw new AppError("conflict", "An account with this email already exists.");
  return user;
}

/** Finds a user by email, case-insensitively. */
export async function findUserByEmail(db: DbOrTx, params: { email: string }): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, params.email.toLowerCase()) });
}

/** Finds a user by id. */
export async function findUserById(db: DbOrTx, params: { id: string }): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, params.id) });
}

/**
 * Returns the user linked to an external account, linking or creating one by verified email on the
 * first sign-in through that provider.
 */
export async function findOrCreateExternalUser(
  db: DbOrTx,
  params: { provider: string; providerAccountId: string; email: string; name: string; image?: string | null },
): Promise<User> {
  const linked = await db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, params.provider), eq(accounts.providerAccountId, params.providerAccountId)))
    .then((rows) => rows[0]?.user);
  if (linked) return linked;
  const user =
    (await findUserByEmail(db, { email: params.email })) ??
    (await createUser(db, { email: params.email, name: params.name, passwordHash: null, image: params.image }));
  await db
    .insert(accounts)
    .values({ provider: params.provider, providerAccountId: params.providerAccountId, userId: user.id })
    .onConflictDoNothing();
  return user;
}

/** The user's current session version, or undefined for a user that no longer exists. */
export async function findSessionVersion(db: DbOrTx, params: { userId: string }): Promise<number | undefined> {
  const [row] = await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, params.userId));
  return row?.sessionVersion;
}

/**
 * Ends every session of a user at once: sessions and collaboration tickets carry the version they
 * were issued under, and an older one is refused. Returns the new version.
 */
export async function signOutEverywhere(db: Database, params: { userId: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, params.userId))
      .returning({ sessionVersion: users.sessionVersion });
    if (!row) throw new AppError("not_found", "No such user.");
    await recordAudit(tx, { teamId: null, actorId: params.userId, action: "auth.sign_out_everywhere", targetType: "user", targetId: params.userId });
    return row.sessionVersion;
  });
}

/**
 * Stores a new password hash and, in the same step, ends every session issued before it (the caller
 * re-issues its own). Returns the new session version.
 */
export async function changePassword(db: Database, params: { userId: string; passwordHash: string }): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash: params.passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, params.userId))
      .returning({ sessionVersion: users.sessionVersion });
    if (!row) throw new AppError("not_found", "No such user.");
    await recordAudit(tx, { teamId: null, actorId: params.userId, action: "auth.password_change", targetType: "user", targetId: params.userId });
    return row.sessionVersion;
  });
}
