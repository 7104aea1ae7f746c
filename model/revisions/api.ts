import { z } from "zod";
import type { AnnotationChange, ClaimHistoryEntry, DiffParagraph, RevisionContent, RevisionKind, RevisionReason, RevisionStats } from "./types";

/** Someone a history names, with the colour their avatar and caret use. */
export interface Person {
  id: string;
  name: string;
  colour: string;
}

/** A revision as lists, headers and comparisons show it. */
export interface RevisionSummary {
  id: string;
  number: number;
  kind: RevisionKind;
  reason: RevisionReason;
  label: string | null;
  /** ISO 8601. */
  createdAt: string;
  createdBy: Person | null;
  /** The people whose log rows the revision covers since the previous one. */
  contributors: Person[];
  summary: string;
  stats: RevisionStats;
  restoredFromNumber: number | null;
}

/** GET /api/articles/:id/revisions */
export interface RevisionListResponse {
  revisions: RevisionSummary[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** POST /api/articles/:id/revisions */
export interface RevisionCreateResponse {
  revision: RevisionSummary;
}

/** GET /api/articles/:id/revisions/:rev; `revision` is null for `current`. */
export interface RevisionViewResponse {
  revision: RevisionSummary | null;
  content: RevisionContent;
}

/** GET /api/articles/:id/revisions/compare; a side is null when it is `current`. */
export interface RevisionCompareResponse {
  from: RevisionSummary | null;
  to: RevisionSummary | null;
  paragraphs: DiffParagraph[];
  annotations: AnnotationChange[];
  stats: RevisionStats;
  /** Everyone named in the comparison's `by` and `authorIds`. */
  authors: Person[];
}

/** POST /api/articles/:id/revisions/:rev/restore */
export interface RevisionRestoreResponse {
  /** What the article was just before the restore (a system revision). */
  before: RevisionSummary;
  /** The revision that was brought back. */
  restored: RevisionSummary;
  /** The article after the restore (a system revision). */
  after: RevisionSummary;
}

/** GET /api/articles/:id/claims/:claimId/history */
export interface ClaimHistoryResponse {
  entries: ClaimHistoryEntry[];
  people: Person[];
}

/** Longest name of a named version. */
export const REVISION_LABEL_CHARS = 120;

/** Body of POST /api/articles/:id/revisions. */
export const createRevisionInput = z.object({ label: z.string().trim().min(1, "Name the version").max(REVISION_LABEL_CHARS) }).strict();
export type CreateRevisionInput = z.infer<typeof createRevisionInput>;

const revisionNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, "a revision number")
  .transform(Number);

/** A revision number, or `current` for the article as it is now (built from the log, not stored). */
export const revisionRef = z.union([z.literal("current"), revisionNumber]);
export type RevisionRef = z.infer<typeof revisionRef>;

/** Query of GET /api/articles/:id/revisions. */
export const listRevisionsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    before: revisionNumber.optional(),
  });

/** Query of GET /api/articles/:id/revisions/compare. */
export const compareRevisionsQuery = z.object({ from: revisionRef, to: revisionRef });
