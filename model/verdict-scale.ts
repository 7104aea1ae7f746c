import { z } from "zod";

/** One rating on a desk's verdict scale. `ratingValue` is what ClaimReview publishes. */
export const verdictSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]{1,40}$/, "lower-case letters, digits and dashes"),
    label: z.string().trim().min(1).max(40),
    colour: z.string().regex(/^#[0-9a-f]{6}$/i, "a hex colour like #1e7b45"),
    definition: z.string().trim().min(1).max(500),
    ratingValue: z.number().int().min(1).max(10),
  })
  .strict();
export type Verdict = z.infer<typeof verdictSchema>;

/** A desk's scale: ordered from best to worst rating, keys unique. */
export const verdictScaleSchema = z
  .array(verdictSchema)
  .min(2)
  .max(12)
  .refine((scale) => new Set(scale.map((v) => v.key)).size === scale.length, "Each verdict needs its own key")
  .refine((scale) => new Set(scale.map((v) => v.label.toLowerCase())).size === scale.length, "Each verdict needs its own label");
export type VerdictScale = z.infer<typeof verdictScaleSchema>;

/**
 * The default scale. Ratings run from 7 (best) down; "Misleading" and "Unverifiable" sit low because a
 * reader should not take the claim at face value. Colours pair with text everywhere, never alone.
 */
export const DEFAULT_VERDICT_SCALE: VerdictScale = [
  { key: "true", label: "True", colour: "#1e7b45", definition: "The claim is accurate and nothing significant is missing.", ratingValue: 7 },
  { key: "mostly-true", label: "Mostly true", colour: "#5c9a2e", definition: "The claim is accurate but needs clarification or additional information.", ratingValue: 6 },
  { key: "mixed", label: "Mixed", colour: "#c99400", definition: "The claim is partly accurate and partly inaccurate.", ratingValue: 5 },
  { key: "mostly-false", label: "Mostly false", colour: "#d9661f", definition: "The claim contains an element of truth but ignores facts that would give a different impression.", ratingValue: 4 },
  { key: "false", label: "False", colour: "#b3261e", definition: "The claim is inaccurate.", ratingValue: 3 },
  { key: "misleading", label: "Misleading", colour: "#8e3b8a", definition: "The claim uses accurate facts in a way that leaves a false impression.", ratingValue: 2 },
  { key: "unverifiable", label: "Unverifiable", colour: "#5f6368", definition: "The available evidence can neither prove nor disprove the claim.", ratingValue: 1 },
];

/** The verdict with `key` on `scale`, if any. */
export function findVerdict(scale: VerdictScale, key: string | null | undefined): Verdict | undefined {
  return key ? scale.find((v) => v.key === key) : undefined;
}

/** A desk's settings as stored in `teams.settings`; missing fields take their defaults. */
export const teamSettingsSchema = z
  .object({
    verdictScale: verdictScaleSchema.default(DEFAULT_VERDICT_SCALE),
    /** Whether the author of a verdict may approve it (issue: review and publishing). Off by default. */
    allowSelfApproval: z.boolean().default(false),
  })
  .strip();
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

/** Body of PUT /api/teams/:team/settings: every field, nothing unknown, no defaults filled in. */
export const teamSettingsInput = z
  .object({
    verdictScale: verdictScaleSchema,
    allowSelfApproval: z.boolean(),
  })
  .strict();

// Every loaded room of a desk reads the same settings; parse each distinct value once and share it.
const parsedSettings = new Map<string, TeamSettings>();

/** Reads stored settings, falling back to the defaults for anything missing or malformed. Treat the result as read-only. */
export function readTeamSettings(stored: unknown): TeamSettings {
  const key = JSON.stringify(stored ?? {});
  let settings = parsedSettings.get(key);
  if (!settings) {
    const parsed = teamSettingsSchema.safeParse(stored ?? {});
    settings = parsed.success ? parsed.data : teamSettingsSchema.parse({});
    if (parsedSettings.size >= 256) parsedSettings.clear();
    parsedSettings.set(key, settings);
  }
  return settings;
}
