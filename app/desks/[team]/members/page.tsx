import type { Metadata } from "next";
import { DeskHeader } from "@/components/desks/desk-header";
import { InvitePanel } from "@/components/members/invite-panel";
import { MemberList } from "@/components/members/member-list";
import { getDb } from "@/db/client";
import { listLiveInvites } from "@/db/queries/invites";
import { listMembers } from "@/db/queries/members";
import { can } from "@/model/permissions";
import { requirePageTeam } from "../../../_lib/page-access";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ team: string }> }) {
  const { team: slug } = await params;
  const { team, role, user } = await requirePageTeam(slug, "member:view", `/desks/${slug}/members`);
  const db = getDb();
  const members = await listMembers(db, { teamId: team.id });
  const invites = can(role, "member:manage") ? await listLiveInvites(db, { teamId: team.id }) : [];
  return (
    <main>
      <DeskHeader team={team} role={role} current="members" />
      <div className="stack">
        <MemberList teamSlug={team.slug} viewerRole={role} viewerId={user.id} members={members.map(({ userId, name, email, role: r }) => ({ userId, name, email, role: r }))} />
        {can(role, "member:manage") && (
          <InvitePanel
            teamSlug={team.slug}
            invites={invites.map((i) => ({ id: i.id, role: i.role, expiresAt: i.expiresAt.toISOString(), acceptedCount: i.acceptedCount }))}
          />
        )}
      </div>
    </main>
  );
}
