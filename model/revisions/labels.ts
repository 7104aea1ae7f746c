import { findVerdict, type VerdictScale } from "../verdict-scale";

/** A verdict key as the desk reads it: its label on the scale, the key itself if the scale lost it, null for none. */
export function verdictLabel(scale: VerdictScale, key: string | null | undefined): string | null {
  if (!key) return null;
  return findVerdict(scale, key)?.label ?? key;
}
