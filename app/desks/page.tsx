import type { Metadata } from "next";
import Link from "next/link";
import { CreateDeskForm } from "@/components/desks/create-desk-form";
import { SharedArticles } from "@/components/guests/shared-articles";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb } from "@/db/client";
import { listSharedArticles } from "@/db/queries/guests";
import { listTeamsForUser } from "@/db/queries/teams";
import { requirePageUser } from "../_lib/page-access";

export const metadata: Metadata = { title: "Your desks" };

export default async function DesksPage() {
  const user = await requirePageUser("/desks");
  const db = getDb();
  const [teams, shared] = await Promise.all([listTeamsForUser(db, { userId: user.id }), listSharedArticles(db, { userId: user.id })]);
  return (
    <main>
      <div className="page-head">
        <div>
          <h1>Your desks</h1>
          <p>Each desk is a team that checks articles together.</p>
        </div>
      </div>
      {teams.length === 0 ? (
        <p className="card empty">
          {shared.length > 0
            ? "You are not on a desk yet, but articles were shared with you below. Create a desk of your own, or open an invite link from a colleague."
            : "You are not on a desk yet. Create one below, or open an invite link from a colleague."}
        </p>
      ) : (
        <nav className="desk-list" aria-label="Desks">
          {teams.map(({ team, role }) => (
            <Link key={team.id} href={`/desks/${team.slug}`}>
              <div className="card">
                <strong>{team.name}</strong>
                <div className="row small" style={{ marginTop: 8 }}>
                  <RoleBadge role={role} />
                </div>
              </div>
            </Link>
          ))}
        </nav>
      )}
      {shared.length > 0 && <SharedArticles articles={shared} />}
      <div style={{ marginTop: 24 }}>
        <CreateDeskForm />
      </div>
    </main>
  );
}
