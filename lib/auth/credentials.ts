import type { Database } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { createUser, findUserByEmail } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { signInInput, type SignUpInput } from "@/model/schemas";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../passwords";
import { assertSignInAllowed, recordSignInFailure, recordSignInSuccess } from "./throttle";

/** Registers a user with an argon2id-hashed password. */
export async function signUp(db: Database, params: SignUpInput): Promise<User> {
  const user = await createUser(db, { email: params.email, name: params.name, passwordHash: await hashPassword(params.password) });
  await recordAudit(db, { teamId: null, actorId: user.id, action: "auth.sign_up", targetType: "user", targetId: user.id });
  return user;
}

/**
 * Checks an email and password. Returns the user, or null for a wrong or unknown pair. Throws a
 * rate_limited AppError while the account or address is locked out after repeated failures.
 */
export async function verifyCredentials(db: Database, params: { email: unknown; password: unknown; ip: string }): Promise<User | null> {
  const parsed = signInInput.safeParse({ email: params.email, password: params.password });
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  await assertSignInAllowed({ email, ip: params.ip });
  const user = await findUserByEmail(db, { email });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    await recordSignInFailure({ email, ip: params.ip });
    return null;
  }
  await recordSignInSuccess({ email });
  return user;
}
