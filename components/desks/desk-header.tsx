import Link from "next/link";
import { can } from "@/model/permissions";
import type { Role } from "@/model/roles";
import { RoleBadge } from "../ui/role-badge";

/** The desk's title bar with its sections; links are shown only where `can()` allows. */
export function DeskHeader({ team, role, current }: { team: { slug: string; name: string }; role: Role; current: "articles" | "members" | "import" | "settings" }) {
  const base = `/desks/${team.slug}`;
  return (
    <div className="page-head">
      <div>
        <div className="crumbs">
          <Link href="/desks">Desks</Link> /
        </div>
        <h1>{team.name}</h1>
        <div className="row small" style={{ marginTop: 6 }}>
          <span className="muted">Your role:</span> <RoleBadge role={role} />
          <span className="muted">·</span>
          {current === "articles" ? <strong>Articles</strong> : <Link href={base}>Articles</Link>}
          <span className="muted">·</span>
          {current === "members" ? <strong>Members</strong> : <Link href={`${base}/members`}>Members</Link>}
          <span className="muted">·</span>
          {current === "settings" ? <strong>Verdict scale</strong> : <Link href={`${base}/settings`}>Verdict scale</Link>}
        </div>
      </div>
      {can(role, "article:import") && current !== "import" && (
        <Link className="button primary" href={`${base}/import`}>
          Import article
        </Link>
      )}
    </div>
  );
}
