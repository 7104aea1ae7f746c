import type { Metadata } from "next";
import { AcceptLinkButton, SignInToAccept } from "@/components/ui/accept-link";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb } from "@/db/client";
import { findLiveInvite } from "@/db/queries/invites";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const live = await findLiveInvite(getDb(), { token });
  const user = await currentUser();
  const here = `/invite/${encodeURIComponent(token)}`;
  return (
    <main className="narrow">
      {!live ? (
        <div className="card stack">
          <h1 style={{ margin: 0 }}>This invite has expired</h1>
          <p className="muted">Ask the desk&apos;s owner for a new link.</p>
        </div>
      ) : (
        <div className="card stack">
          <h1 style={{ margin: 0 }}>Join {live.team.name}</h1>
          <p>
            You are invited as <RoleBadge role={live.invite.role} />.
          </p>
          {user ? (
            <AcceptLinkButton acceptUrl={`/api/invites/${encodeURIComponent(token)}/accept`} label="Join the desk" />
          ) : (
            <SignInToAccept here={here} />
          )}
        </div>
      )}
    </main>
  );
}
