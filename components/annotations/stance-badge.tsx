import { STANCE_LABELS, type Stance } from "@/model/review";

const STANCE_ICON: Record<Stance, string> = { supports: "✔", refutes: "✖", context: "ℹ" };

/** An evidence item's stance as an icon plus text, so that it never depends on colour alone. */
export function StanceBadge({ stance }: { stance: Stance }) {
  return (
    <span className={`stance stance-${stance}`}>
      <span aria-hidden="true">{STANCE_ICON[stance]}</span> {STANCE_LABELS[stance]}
    </span>
  );
}
