import type { Metadata } from "next";
import Link from "next/link";
import { HistoryView, type HistoryInitial } from "@/components/history/history-view";
import type { RevisionRef } from "@/components/history/revision-timeline";
import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { readTeamSettings } from "@/model/verdict-scale";
import { requirePageArticle } from "../../../../../_lib/page-access";

export const metadata: Metadata = { title: "History" };

type Search = Record<string, string | string[] | undefined>;

// The address may hold anything; what is not a revision number (or "current") is ignored.
function refFrom(value: string | string[] | undefined): RevisionRef | null {
  if (value === "current") return "current";
  return typeof value === "string" && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : null;
}

function initialFrom(search: Search): HistoryInitial {
  return {
    selected: refFrom(search.rev) ?? "current",
    mode: search.mode === "compare" ? "compare" : "view",
    from: refFrom(search.from),
    to: refFrom(search.to),
  };
}

export default async function HistoryPage({ params, searchParams }: { params: Promise<{ team: string; articleId: string }>; searchParams: Promise<Search> }) {
  const { team: slug, articleId } = await params;
  // The history is the desk's record of everyone's work on the article ("revision:view", which a guest
  // grant never carries): a guest of the article gets a 404 here, as from the revision API.
  const { article, team, role } = await requirePageArticle(articleId, "revision:view", `/desks/${slug}/articles/${articleId}/history`);
  const members = await listMembers(getDb(), { teamId: team.id });
  const articleHref = `/desks/${team.slug}/articles/${article.id}`;
  return (
    <main className="wide">
      <div className="crumbs">
        <Link href="/desks">Desks</Link> / <Link href={`/desks/${team.slug}`}>{team.name}</Link> / <Link href={articleHref}>{article.title}</Link> /
      </div>
      <div className="page-head">
        <div>
          <h1>History</h1>
          <p>{article.title}</p>
        </div>
        <Link className="button" href={articleHref}>
          Back to the article
        </Link>
      </div>
      <HistoryView
        articleId={article.id}
        articleHref={articleHref}
        role={role}
        scale={readTeamSettings(team.settings).verdictScale}
        members={members.map((m) => ({ userId: m.userId, name: m.name }))}
        initial={initialFrom(await searchParams)}
      />
    </main>
  );
}
