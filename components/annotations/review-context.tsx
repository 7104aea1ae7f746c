"use client";

import { createContext, useContext } from "react";
import type * as Y from "yjs";
import type { Role } from "@/model/roles";
import type { VerdictScale } from "@/model/verdict-scale";

export interface DeskMember {
  userId: string;
  name: string;
  role: Role;
}

/** What every part of the review sidebar needs: the document, who I am, the desk's people and scale. */
export interface ReviewEnv {
  doc: Y.Doc;
  me: { id: string; name: string };
  role: Role;
  /** A guest of this one article rather than a member of its desk. */
  guest: boolean;
  members: DeskMember[];
  scale: VerdictScale;
  /** The desk's rule: whether the author of a verdict may approve it. */
  allowSelfApproval: boolean;
  /** Whether the editor holds a non-empty selection, for "re-anchor". */
  hasSelection: boolean;
  /** Builds an anchor from the editor's current selection. */
  anchorFromSelection: () => import("@/model/review").Anchor | undefined;
}

const Context = createContext<ReviewEnv | null>(null);

export const ReviewEnvProvider = Context.Provider;

/** The review environment; only inside the article workspace. */
export function useReviewEnv(): ReviewEnv {
  const env = useContext(Context);
  if (!env) throw new Error("useReviewEnv outside ReviewEnvProvider");
  return env;
}

/**
 * A person's display name, or a placeholder: for a member, someone missing from the list has left the
 * desk; a guest is only sent the names of the article's contributors, so anyone else is a desk member.
 */
export function memberName(members: DeskMember[], id: string | null | undefined, guest = false): string {
  if (!id) return "Nobody";
  return members.find((m) => m.userId === id)?.name ?? (guest ? "Desk member" : "Former member");
}
