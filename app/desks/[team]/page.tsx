import type { Metadata } from "next";
import Link from "next/link";
import { DeskHeader } from "@/components/desks/desk-header";
import { Avatar } from "@/components/ui/avatar";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/client";
import { listArticles } from "@/db/queries/articles";
import { countClaimsByArticle, type ClaimCounts } from "@/db/queries/review";
import { can } from "@/model/permissions";
import { CLAIM_STATE_LABELS, CLAIM_STATES } from "@/model/review";
import { readTeamSettings, type VerdictScale } from "@/model/verdict-scale";
import { requirePageTeam } from "../../_lib/page-access";

export const metadata: Metadata = { title: "Desk" };

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

export default async function DeskDashboard({ params }: { params: Promise<{ team: string }> }) {
  const { team: slug } = await params;
  const { team, role } = await requirePageTeam(slug, "article:view", `/desks/${slug}`);
  const db = getDb();
  const [articles, counts] = await Promise.all([listArticles(db, { teamId: team.id, limit: 100, offset: 0 }), countClaimsByArticle(db, { teamId: team.id })]);
  const scale = readTeamSettings(team.settings).verdictScale;
  return (
    <main>
      <DeskHeader team={team} role={role} current="articles" />
      {articles.length === 0 ? (
        <div className="card empty">
          <p>No articles yet.</p>
          {can(role, "article:import") ? <p>Import the first one to start checking.</p> : <p>An editor will import articles for the desk.</p>}
        </div>
      ) : (
        <div className="card" style={{ padding: 0 }}>
          <table aria-label="Articles">
            <thead>
              <tr>
                <th scope="col" style={{ paddingLeft: 20 }}>
                  Title
                </th>
                <th scope="col">Claims</th>
                <th scope="col">Source</th>
                <th scope="col">Last activity</th>
                <th scope="col">Working on it</th>
              </tr>
            </thead>
            <tbody>
              {articles.map((a) => (
                <tr key={a.id} data-testid="article-row">
                  <td style={{ paddingLeft: 20 }}>
                    <Link className="title" href={`/desks/${team.slug}/articles/${a.id}`}>
                      {a.title}
                    </Link>
                  </td>
                  <td className="small" data-testid="claim-summary">
                    <ClaimSummary counts={counts.get(a.id)} scale={scale} />
                  </td>
                  <td className="small">
                    {a.publisher ?? (a.sourceUrl ? hostOf(a.sourceUrl) : <span className="muted">—</span>)}
                    {a.publisher && a.sourceUrl && <div className="muted">{hostOf(a.sourceUrl)}</div>}
                  </td>
                  <td className="small">
                    <RelativeTime date={a.lastActivityAt} />
                  </td>
                  <td>
                    {a.activeMembers.length ? (
                      <div className="avatars" aria-label={`Working on it: ${a.activeMembers.map((m) => m.name).join(", ")}`}>
                        {a.activeMembers.map((m) => (
                          <Avatar key={m.id} id={m.id} name={m.name} />
                        ))}
                      </div>
                    ) : (
                      <span className="muted small">Nobody right now</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

/** Claims by state and by verdict for one article, from the projection. */
function ClaimSummary({ counts, scale }: { counts: ClaimCounts | undefined; scale: VerdictScale }) {
  const total = counts ? Object.values(counts.byState).reduce((a, b) => a + b, 0) : 0;
  if (!counts || (!total && !counts.comments)) return <span className="muted">—</span>;
  return (
    <div className="claim-summary">
      <div>
        <strong>{total}</strong> {total === 1 ? "claim" : "claims"}
        {counts.comments > 0 && <span className="muted"> · {counts.comments} comments</span>}
      </div>
      <div className="row">
        {CLAIM_STATES.filter((s) => counts.byState[s]).map((s) => (
          <span key={s} className="chip">
            {CLAIM_STATE_LABELS[s]} {counts.byState[s]}
          </span>
        ))}
      </div>
      <div className="row">
        {scale
          .filter((v) => counts.byVerdict[v.key])
          .map((v) => (
            <span key={v.key} className="chip" style={{ borderColor: v.colour }}>
              <span className="dot" style={{ background: v.colour }} aria-hidden="true" />
              {v.label} {counts.byVerdict[v.key]}
            </span>
          ))}
      </div>
    </div>
  );
}
