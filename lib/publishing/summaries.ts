import type { PublicationListRow } from "@/db/queries/publications";
import { UNKNOWN_PERSON_NAME } from "@/lib/revisions/people";
import { publicationVersionPath, type PublicationSummary } from "@/model/publishing";

/** Where a desk's article lives publicly. */
export interface PublicAddress {
  origin: string;
  teamSlug: string;
  articleSlug: string;
}

/** A publication row as the API lists it. */
export function summarisePublication(row: PublicationListRow, address: PublicAddress): PublicationSummary {
  return {
    number: row.number,
    publishedAt: row.createdAt.toISOString(),
    publishedBy: row.publishedBy ? { id: row.publishedBy, name: row.publishedByName ?? UNKNOWN_PERSON_NAME } : null,
    correction: row.correction,
    claimCount: row.claimCount,
    url: `${address.origin}${publicationVersionPath({ teamSlug: address.teamSlug, articleSlug: address.articleSlug, number: row.number })}`,
    unpublishedAt: row.unpublishedAt?.toISOString() ?? null,
    unpublishReason: row.unpublishReason,
  };
}
