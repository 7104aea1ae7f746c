import type { Thread } from "../review";

/** Why a revision was taken. */
export const REVISION_KINDS = ["auto", "named", "system"] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** What triggered it: auto ones on idle or when the last person leaves; system ones around restores, approvals, publications. */
export const REVISION_REASONS = ["idle", "last-leave", "named", "before-restore", "restore", "approval", "publication"] as const;
export type RevisionReason = (typeof REVISION_REASONS)[number];

/** The derived, searchable form of a revision (stored as JSON next to the Yjs states). */
export interface RevisionContent {
  /** The article as plain text: paragraphs separated by a blank line. */
  text: string;
  /** The body as ProseMirror JSON (what the read-only view renders). */
  body: unknown;
  /** Every thread as `readThreads` reads it, in document order. */
  threads: Thread[];
}

/** Counts shown in a revision's one-line summary and in comparisons. */
export interface RevisionStats {
  wordsAdded: number;
  wordsRemoved: number;
  claimsAdded: number;
  claimsRemoved: number;
  commentsAdded: number;
  verdictsChanged: number;
  evidenceAdded: number;
  evidenceRemoved: number;
  threadsResolved: number;
  threadsReopened: number;
  messagesAdded: number;
}

/** Who made a piece of a text change; null is the server (the import, a restore without a known actor). */
export type AuthorId = string | null;

/** One run of a compared paragraph. */
export interface DiffSegment {
  kind: "same" | "insert" | "delete";
  text: string;
  /** Who inserted (for "insert") or deleted (for "delete") this run; undefined for "same". */
  by?: AuthorId;
}

/** A paragraph of the inline comparison; `status` says whether the whole paragraph is new or gone. */
export interface DiffParagraph {
  status: "same" | "changed" | "inserted" | "deleted";
  segments: DiffSegment[];
}

/**
 * One annotation change between two revisions, in document order of the thread. `quote` is the
 * thread's quoted passage; verdicts are labels on the desk's scale (or the stored key when the scale
 * lacks it), claim states and evidence stances are their keys (CLAIM_STATES, STANCES).
 */
export type AnnotationChange =
  | { kind: "claim-added" | "claim-removed" | "comment-added" | "comment-removed"; threadId: string; quote: string }
  | { kind: "verdict-changed"; threadId: string; quote: string; from: string | null; to: string | null }
  | { kind: "claim-state-changed"; threadId: string; quote: string; from: string; to: string }
  | { kind: "rationale-changed"; threadId: string; quote: string }
  | { kind: "evidence-added" | "evidence-removed"; threadId: string; quote: string; evidenceId: string; title: string; url: string; stance: string }
  | { kind: "thread-resolved" | "thread-reopened"; threadId: string; quote: string }
  | { kind: "messages-added"; threadId: string; quote: string; count: number; authorIds: string[] };

/** Who wrote which Yjs client's structs and who deleted what, taken from the update log's user ids. */
export interface Authorship {
  /** The user whose log rows first carried structs of this Yjs client id. */
  insertedBy(clientId: number): AuthorId;
  /** The user whose log row deleted the item with this id, if known. */
  deletedBy(id: { client: number; clock: number }): AuthorId;
}

/** A log row as history needs it. */
export interface LogRow {
  id: bigint;
  userId: string | null;
  createdAt: Date;
  update: Uint8Array;
}

/**
 * One change to one claim, attributed to the user whose log row made it (`at` is the row's time, ISO
 * 8601). Verdicts are labels on the desk's scale, as in AnnotationChange; states are keys.
 */
export interface ClaimHistoryEntry {
  at: string;
  by: AuthorId;
  change:
    | { kind: "created" }
    | { kind: "verdict"; from: string | null; to: string | null }
    | { kind: "state"; from: string; to: string }
    | { kind: "rationale"; from: string; to: string }
    | { kind: "field"; field: "claimant" | "appearedIn" | "appearedOn" | "assigneeId"; from: string | null; to: string | null }
    | { kind: "evidence-added" | "evidence-removed"; evidenceId: string; title: string; url: string; stance: string }
    | { kind: "evidence-changed"; evidenceId: string; title: string; url: string; stance: string }
    | { kind: "resolved" | "reopened" }
    | { kind: "deleted" };
}
