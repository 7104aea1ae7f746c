import { z } from "zod";
import { LIMITS } from "../limits";

/** An absolute http(s) URL on a named host; any other scheme (javascript:, data:, file:) is refused. */
export const httpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(LIMITS.urlChars);

/** A UUID as produced by PostgreSQL's gen_random_uuid(). */
export const id = z.uuid();

/** A URL-safe lower-case slug. */
export const slug = z
  .string()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes");

/** Trimmed text that must not be empty. */
export function requiredText(max: number) {
  return z.string().trim().min(1, "Required").max(max);
}

/** Optional trimmed text; an empty string counts as absent. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
}
