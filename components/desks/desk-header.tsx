import Link from "next/link";
import { can } from "@/model/permissions";
import type { Role } from "@/model/roles";
import { RoleBadge } from "../ui/role-badge";

type Section = "articles" | "members" | "import" | "settings" | "audit";

/** The desk's title bar with its sections; links are shown only where `can()` allows. */
export function DeskHeader({ team, role, current }: { team: { slug: string; name: string }; role: Role; current: Section }) {
  const base = `/desks/${team.slug}`;
  const sections: { key: Section; label: string; href: string }[] = [
    { key: "articles", label: "Articles", href: base },
    { key: "members", label: "Members", href: `${base}/members` },
    { key: "settings", label: "Verdict scale", href: `${base}/settings` },
    ...(can(role, "audit:view") ? [{ key: "audit" as const, label: "Audit log", href: `${base}/audit` }] : []),
  ];
  return (
    <div className="page-head">
      <div>
        <div className="crumbs">
          <Link href="/desks">Desks</Link> /
        </div>
        <h1>{team.name}</h1>
        <div className="row small" style={{ marginTop: 6 }}>
          <span className="muted">Your role:</span> <RoleBadge role={role} />
          <nav aria-label="Desk sections" className="row">
            {sections.map((s) => (
              <span key={s.key} className="row" style={{ gap: 10 }}>
                <span className="muted" aria-hidden="true">
                  ·
                </span>
                {current === s.key ? (
                  <strong aria-current="page">{s.label}</strong>
                ) : (
                  <Link href={s.href}>{s.label}</Link>
                )}
              </span>
            ))}
          </nav>
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
