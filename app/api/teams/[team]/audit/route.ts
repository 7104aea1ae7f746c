import { getDb } from "@/db/client";
import { listAuditEvents, type AuditFilter } from "@/db/queries/audit";
import { requireUser } from "@/lib/auth/session";
import { apiRoute, json, readQuery } from "@/lib/http";
import { requireTeamAccess } from "@/lib/policy";
import { AUDIT_CSV_MAX_ROWS, auditQuery, type AuditPage } from "@/model/schemas/audit";
import { auditCsv, toAuditView } from "./audit-export";

// The export reads the log in slices, so a large one is streamed rather than held in memory.
const CSV_BATCH = 1_000;

/**
 * The desk's audit log, newest first, for owners: filtered by action, person and time range, a page at
 * a time (`before` is the previous page's `nextBefore`), or with `format=csv` every matching event
 * (up to 50,000) as a CSV attachment.
 */
export const GET = apiRoute<{ team: string }>(async (req, ctx) => {
  const user = await requireUser(req);
  const db = getDb();
  const { team } = await requireTeamAccess(db, { actor: user, teamSlug: (await ctx.params).team, action: "audit:view" });
  const { format, limit, ...filters } = readQuery(req, auditQuery);
  const filter: AuditFilter = { teamId: team.id, ...filters };

  if (format === "json") {
    const rows = await listAuditEvents(db, { ...filter, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const body: AuditPage = { events: page.map(toAuditView), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    return json(body);
  }

  // The first slice is read before answering, so a failing query still gets a JSON error.
  let rows = await listAuditEvents(db, { ...filter, limit: Math.min(CSV_BATCH, AUDIT_CSV_MAX_ROWS) });
  let sent = 0;
  let header = true;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (header || rows.length) {
        controller.enqueue(encoder.encode(auditCsv(rows, { header })));
        header = false;
        sent += rows.length;
      }
      const last = rows.at(-1);
      if (!last || rows.length < CSV_BATCH || sent >= AUDIT_CSV_MAX_ROWS) {
        controller.close();
        return;
      }
      rows = await listAuditEvents(db, { ...filter, before: last.id, limit: Math.min(CSV_BATCH, AUDIT_CSV_MAX_ROWS - sent) });
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${team.slug}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
