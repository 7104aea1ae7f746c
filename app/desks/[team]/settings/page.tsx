import type { Metadata } from "next";
import { ApprovalSetting } from "@/components/desks/approval-setting";
import { DeskHeader } from "@/components/desks/desk-header";
import { VerdictScaleEditor } from "@/components/desks/verdict-scale-editor";
import { can } from "@/model/permissions";
import { readTeamSettings } from "@/model/verdict-scale";
import { requirePageTeam } from "../../../_lib/page-access";

export const metadata: Metadata = { title: "Desk settings" };

export default async function SettingsPage({ params }: { params: Promise<{ team: string }> }) {
  const { team: slug } = await params;
  const { team, role } = await requirePageTeam(slug, "team:view", `/desks/${slug}/settings`);
  const settings = readTeamSettings(team.settings);
  const editable = can(role, "team:update");
  return (
    <main>
      <DeskHeader team={team} role={role} current="settings" />
      <VerdictScaleEditor teamSlug={team.slug} settings={settings} editable={editable} />
      <ApprovalSetting teamSlug={team.slug} settings={settings} editable={editable} />
    </main>
  );
}
