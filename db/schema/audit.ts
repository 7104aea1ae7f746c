import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { teams } from "./teams";
import { users } from "./users";

/** Append-only record of who did what, for owners and outside auditors. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Null for events about a person rather than a desk, such as a sign-in. */
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    data: jsonb("data").notNull().default({}),
    createdAt: createdAtColumn(),
  },
  (t) => [index("audit_events_team_idx").on(t.teamId, t.createdAt), index("audit_events_actor_idx").on(t.actorId, t.createdAt)],
);
