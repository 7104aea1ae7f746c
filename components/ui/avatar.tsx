import { colourFor } from "@/model/person-colour";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase();
}

/** A round badge with a person's initials. */
export function Avatar({ id, name }: { id: string; name: string }) {
  return (
    <span className="avatar" style={{ background: colourFor(id) }} title={name} aria-label={name}>
      {initials(name)}
    </span>
  );
}
