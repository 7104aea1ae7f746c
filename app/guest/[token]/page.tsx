import type { Metadata } from "next";
import { AcceptLinkButton, SignInToAccept } from "@/components/ui/accept-link";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb } from "@/db/client";
import { findLiveGuestInvite } from "@/db/queries/guests";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Guest invitation" };

/** Where a guest link lands: what it offers, then sign in (or sign up) and accept. */
export default async function GuestInvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const live = await findLiveGuestInvite(getDb(), { token });
  const user = await currentUser();
  const here = `/guest/${encodeURIComponent(token)}`;
  return (
    <main className="narrow">
      {!live ? (
        <div className="card stack">
          <h1 style={{ margin: 0 }}>This guest link no longer works</h1>
          <p className="muted">It has expired, was revoked, or was already used. Ask the person who invited you for a new one.</p>
        </div>
      ) : (
        <div className="card stack">
          <h1 style={{ margin: 0 }}>You are invited to review an article</h1>
          <p style={{ margin: 0 }}>
            <strong>{live.team.name}</strong> invites you as a guest to <strong>“{live.article.title}”</strong>.
          </p>
          <p style={{ margin: 0 }}>
            Your role: <RoleBadge role={live.invite.role} />{" "}
            <span className="muted small">
              until <time dateTime={live.invite.accessExpiresAt.toISOString()}>{live.invite.accessExpiresAt.toISOString().slice(0, 10)}</time>
            </span>
          </p>
          <p className="muted small" style={{ margin: 0 }}>
            As a guest you see this article and its discussion only, not the rest of the desk.
          </p>
          {user ? (
            <>
              <p className="small" style={{ margin: 0 }}>
                Signed in as {user.name} ({user.email}).
              </p>
              <AcceptLinkButton acceptUrl={`/api/guest-invites/${encodeURIComponent(token)}/accept`} label="Accept and open the article" />
            </>
          ) : (
            <SignInToAccept here={here} />
          )}
        </div>
      )}
    </main>
  );
}
