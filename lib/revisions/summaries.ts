import type { DbOrTx } from "@/db/client";
import type { RevisionListRow } from "@/db/queries/revisions";
import type { RevisionSummary } from "@/model/revisions";
import { peopleByIds, peopleList } from "./people";

/** Revision rows as the API shows them, with their creators and contributors named. */
export async function summariseRows(db: DbOrTx, rows: RevisionListRow[]): Promise<RevisionSummary[]> {
  const people = await peopleByIds(
    db,
    rows.flatMap((r) => [r.createdBy, ...r.contributorIds]),
  );
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    kind: row.kind,
    reason: row.reason,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy ? (people.get(row.createdBy) ?? null) : null,
    contributors: peopleList(people, row.contributorIds),
    summary: row.summary,
    stats: row.stats,
    restoredFromNumber: row.restoredFromNumber,
  }));
}

/** One revision row as the API shows it. */
export async function summariseRow(db: DbOrTx, row: RevisionListRow): Promise<RevisionSummary> {
  const [summary] = await summariseRows(db, [row]);
  return summary!;
}
