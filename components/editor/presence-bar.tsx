"use client";

import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { ROLE_LABELS, type Role } from "@/model/roles";

export interface PresentUser {
  id: string;
  name: string;
  color: string;
  role: Role;
  readOnly: boolean;
  /** A guest of this one article, not a member of its desk. */
  guest?: boolean;
}

function present(awareness: Awareness, self: PresentUser): PresentUser[] {
  // The server never echoes our own presence back, so we list ourselves from what we know.
  const byId = new Map<string, PresentUser>([[self.id, self]]);
  for (const state of awareness.getStates().values()) {
    const user = (state as { user?: Partial<PresentUser> }).user;
    if (user?.id && user.name && !byId.has(user.id)) byId.set(user.id, user as PresentUser);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Who has the article open, as the server vouches for them; read-only people are marked. */
export function PresenceBar({ awareness, self }: { awareness: Awareness; self: PresentUser }) {
  const [users, setUsers] = useState<PresentUser[]>(() => present(awareness, self));
  useEffect(() => {
    const update = () => setUsers(present(awareness, self));
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness, self]);

  return (
    <ul className="presence" aria-label="People here">
      {users.map((u) => (
        <li key={u.id} data-testid="presence-user" title={`${u.name} · ${u.guest ? "Guest " : ""}${ROLE_LABELS[u.role]}${u.readOnly ? " · read-only" : ""}`}>
          <span className="avatar" style={{ background: u.color }} aria-hidden="true">
            {u.name
              .split(/\s+/)
              .map((p) => p[0])
              .slice(0, 2)
              .join("")
              .toUpperCase()}
          </span>
          <span className="presence-name">
            {u.name}
            {u.id === self.id && " (you)"}
          </span>
          {u.guest && <span className="badge">Guest</span>}
          {u.readOnly && <span className="badge">read-only</span>}
        </li>
      ))}
    </ul>
  );
}
