import { stringify } from "csv-stringify/sync";
import type { AuditEventRow } from "@/db/queries/audit";
import { colourFor } from "@/model/person-colour";
import { AUDIT_ACTION_LABELS, type AuditEventView } from "@/model/schemas/audit";

/** An event as the API shows it: the actor as a person with their colour, times as ISO strings. */
export function toAuditView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    action: row.action,
    actor: row.actorId ? { id: row.actorId, name: row.actorName ?? "Deleted account", colour: colourFor(row.actorId) } : null,
    targetType: row.targetType,
    targetId: row.targetId,
    targetLabel: row.targetLabel,
    data: row.data,
  };
}

const COLUMNS = ["id", "time", "action", "description", "actor_id", "actor", "target_type", "target_id", "target", "details"];

/**
 * Events as CSV lines (RFC 4180: CRLF, quoted where needed). A cell that a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading single quote.
 */
export function auditCsv(rows: AuditEventRow[], options: { header: boolean }): string {
  return stringify(
    rows.map((r) => [
      String(r.id),
      r.createdAt.toISOString(),
      r.action,
      AUDIT_ACTION_LABELS[r.action] ?? r.action,
      r.actorId ?? "",
      r.actorName ?? "",
      r.targetType ?? "",
      r.targetId ?? "",
      r.targetLabel ?? "",
      Object.keys(r.data).length ? JSON.stringify(r.data) : "",
    ]),
    { header: options.header, columns: COLUMNS, record_delimiter: "windows", escape_formulas: true },
  );
}
