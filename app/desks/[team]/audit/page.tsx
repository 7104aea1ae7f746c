import type { Metadata } from "next";
import { AuditLog, type AuditFilters } from "@/components/audit/audit-log";
import { DeskHeader } from "@/components/desks/desk-header";
import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { AUDIT_ACTIONS } from "@/model/schemas/audit";
import { readTeamSettings } from "@/model/verdict-scale";
import { requirePageTeam } from "../../../_lib/page-access";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;

// The address may hold anything; a value that is not a valid filter is simply ignored.
function filtersFrom(search: Search): AuditFilters {
  const one = (key: string) => (typeof search[key] === "string" ? search[key] : "");
  const day = (key: string) => (/^\d{4}-\d{2}-\d{2}$/.test(one(key)) ? one(key) : "");
  return {
    action: (AUDIT_ACTIONS as readonly string[]).includes(one("action")) ? one("action") : "",
    actorId: /^[0-9a-f-]{36}$/i.test(one("actorId")) ? one("actorId") : "",
    from: day("from"),
    to: day("to"),
  };
}

export default async function AuditPage({ params, searchParams }: { params: Promise<{ team: string }>; searchParams: Promise<Search> }) {
  const { team: slug } = await params;
  const { team, role } = await requirePageTeam(slug, "audit:view", `/desks/${slug}/audit`);
  const members = await listMembers(getDb(), { teamId: team.id });
  return (
    <main>
      <DeskHeader team={team} role={role} current="audit" />
      <h2>Audit log</h2>
      <p className="muted small">Who signed in, changed roles, imported articles, saved or restored versions, approved claims, and published or unpublished articles. Newest first; times are yours.</p>
      <AuditLog
        teamSlug={team.slug}
        people={members.map((m) => ({ id: m.userId, name: m.name }))}
        initial={filtersFrom(await searchParams)}
        verdictLabels={Object.fromEntries(readTeamSettings(team.settings).verdictScale.map((v) => [v.key, v.label]))}
      />
    </main>
  );
}
