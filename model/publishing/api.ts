import { z } from "zod";
import { threadSchema, type ClaimState } from "../review/schema";
import type { PublicPerson } from "./types";

/** The most claims one publication may carry. */
export const MAX_PUBLIC_CLAIMS = 500;
/** Length limits of the notes an editor writes when republishing or unpublishing. */
export const PUBLISHING_LIMITS = { correctionChars: 2_000, reasonChars: 2_000 } as const;

/** Body of POST /api/articles/:id/publications. A republish needs a correction note (checked by the service). */
export const publishInput = z
  .object({
    claimIds: z.array(threadSchema.shape.id).max(MAX_PUBLIC_CLAIMS),
    correction: z.string().trim().max(PUBLISHING_LIMITS.correctionChars).optional(),
  })
  .strict();
export type PublishInput = z.infer<typeof publishInput>;

/** Body of POST /api/articles/:id/unpublish. */
export const unpublishInput = z
  .object({
    reason: z.string().trim().min(1, "Say why the article is unpublished.").max(PUBLISHING_LIMITS.reasonChars),
  })
  .strict();
export type UnpublishInput = z.infer<typeof unpublishInput>;

export const EXPORT_FORMATS = ["w3c", "claimreview", "markdown"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Query of GET /api/articles/:id/export. */
export const exportQuery = z.object({ format: z.enum(EXPORT_FORMATS) }).strict();

/** A path segment naming a published version (`/p/<team>/<article>/v/<n>`). */
export const versionNumber = z.coerce.number().int().min(1).max(1_000_000);

/** One publication as the article page lists it. */
export interface PublicationSummary {
  number: number;
  /** ISO instant. */
  publishedAt: string;
  publishedBy: PublicPerson | null;
  /** The correction note (null for the first publication). */
  correction: string | null;
  /** How many claims it made public. */
  claimCount: number;
  /** This version's public address. */
  url: string;
  /** ISO instant it was unpublished, if this was the live version then. */
  unpublishedAt: string | null;
  unpublishReason: string | null;
}

/** GET /api/articles/:id/publications */
export interface PublicationListResponse {
  /** Newest first. */
  publications: PublicationSummary[];
  /** Whether the public page shows the latest publication now. */
  status: "never" | "published" | "unpublished";
  /** The page's public address (latest version), once published. */
  url: string | null;
}

/** POST /api/articles/:id/publications */
export interface PublishResponse {
  publication: PublicationSummary;
  /** The system revision taken with it. */
  revisionNumber: number;
}

/** POST /api/articles/:id/unpublish */
export interface UnpublishResponse {
  publication: PublicationSummary;
}

/** Why a chosen claim holds a publication back. */
export type BlockReason = "not_approved" | "no_verdict";

/** One claim holding a publication back. */
export interface BlockingClaim {
  id: string;
  quote: string;
  /** The claim's effective state. */
  state: ClaimState;
  reason: BlockReason;
}

/** `details` of the 409 `not_approved` answer. */
export interface NotApprovedDetails {
  claims: BlockingClaim[];
  /** Present when the summary has content but is not approved. */
  summary?: "not_approved";
}
