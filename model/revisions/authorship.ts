import * as Y from "yjs";
import type { AuthorId, Authorship, LogRow } from "./types";

/** A run of deleted clocks of one client, and the index (in log order) of the row that deleted it. */
interface Deletion {
  clock: number;
  end: number;
  row: number;
}

/**
 * Turns possibly overlapping deletions (two people deleting the same text concurrently) into sorted,
 * disjoint runs where each clock belongs to the earliest row that deleted it. A sweep over the run
 * boundaries; the set of runs open at a boundary is tiny in practice, since text is deleted once.
 */
function disjoint(deletions: Deletion[]): Deletion[] {
  const sorted = [...deletions].sort((a, b) => a.clock - b.clock || a.row - b.row);
  const points = [...new Set(sorted.flatMap((d) => [d.clock, d.end]))].sort((a, b) => a - b);
  const out: Deletion[] = [];
  let open: Deletion[] = [];
  let next = 0;
  for (let p = 0; p < points.length - 1; p++) {
    const at = points[p]!;
    while (next < sorted.length && sorted[next]!.clock <= at) open.push(sorted[next++]!);
    open = open.filter((d) => d.end > at);
    if (open.length === 0) continue;
    const row = Math.min(...open.map((d) => d.row));
    const last = out[out.length - 1];
    if (last && last.end === at && last.row === row) last.end = points[p + 1]!;
    else out.push({ clock: at, end: points[p + 1]!, row });
  }
  return out;
}

/** The run of `runs` (sorted, disjoint) that holds `clock`. */
function find(runs: Deletion[], clock: number): Deletion | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const run = runs[mid]!;
    if (clock < run.clock) hi = mid - 1;
    else if (clock >= run.end) lo = mid + 1;
    else return run;
  }
  return undefined;
}

/**
 * Who wrote what, from a body room's update log (rows oldest first). A Yjs client id belongs to one
 * editor session, so the user of the first row carrying that client's structs inserted all of its
 * text. Deletions are attributed from the delete sets of the rows in `(afterId, uptoId]` only, so a
 * comparison credits the deletions made between its two revisions.
 */
export function buildAuthorship(rows: LogRow[], window: { afterId: bigint; uptoId: bigint }): Authorship {
  const inserted = new Map<number, AuthorId>();
  const deletions = new Map<number, Deletion[]>();
  rows.forEach((row, index) => {
    for (const client of Y.parseUpdateMeta(row.update).from.keys()) if (!inserted.has(client)) inserted.set(client, row.userId);
    if (row.id <= window.afterId || row.id > window.uptoId) return;
    for (const [client, items] of Y.decodeUpdate(row.update).ds.clients) {
      let list = deletions.get(client);
      if (!list) deletions.set(client, (list = []));
      for (const item of items) if (item.len > 0) list.push({ clock: item.clock, end: item.clock + item.len, row: index });
    }
  });
  const runs = new Map([...deletions].map(([client, list]) => [client, disjoint(list)]));
  return {
    insertedBy: (clientId) => inserted.get(clientId) ?? null,
    deletedBy: ({ client, clock }) => {
      const run = find(runs.get(client) ?? [], clock);
      return run ? rows[run.row]!.userId : null;
    },
  };
}
