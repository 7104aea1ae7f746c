import type { Metadata } from "next";
import Link from "next/link";
import { CreateDeskForm } from "@/components/desks/create-desk-form";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb } from "@/db/client";
import { listTeamsForUser } from "@/db/queries/teams";
import { requirePageUser } from "../_lib/page-access";

export const metadata: Metadata = { title: "Your desks" };

export default async function DesksPage() {
  const user = await requirePageUser("/desks");
  const teams = await listTeamsForUser(getDb(), { userId: user.id });
  return (
    <main>
      <div className="page-head">
        <div>
          <h1>Your desks</h1>
          <p>Each desk is a team that checks articles together.</p>
        </div>
      </div>
      {teams.length === 0 ? (
        <p className="card empty">You are not on a desk yet. Create one below, or open an invite link from a colleague.</p>
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
      <div style={{ marginTop: 24 }}>
        <CreateDeskForm />
      </div>
    </main>
  );
}
