import { z } from "zod";
import { LIMITS } from "../limits";
import { requiredText } from "./common";

/** An email address, compared case-insensitively. */
export const email = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** Sign-up form and API body. */
export const signUpInput = z.object({
  name: requiredText(LIMITS.personNameChars),
  email,
  password: z
    .string()
    .min(LIMITS.passwordMinChars, `Use at least ${LIMITS.passwordMinChars} characters`)
    .max(LIMITS.passwordMaxChars),
});
export type SignUpInput = z.infer<typeof signUpInput>;

/** Credentials as posted to next-auth's credentials provider. */
export const signInInput = z.object({
  email,
  password: z.string().min(1).max(LIMITS.passwordMaxChars),
});
export type SignInInput = z.infer<typeof signInInput>;
