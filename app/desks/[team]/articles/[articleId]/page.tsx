import type { Metadata } from "next";
import Link from "next/link";
import { ArticleText } from "@/components/articles/article-text";
import { ArticleWorkspace } from "@/components/editor/article-workspace";
import { GuestsControl } from "@/components/guests/guests-control";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb, type Database } from "@/db/client";
import { recordVisit } from "@/db/queries/articles";
import { listArticlePeople } from "@/db/queries/guests";
import { listMembers } from "@/db/queries/members";
import { can } from "@/model/permissions";
import { colourFor } from "@/model/person-colour";
import type { Role } from "@/model/roles";
import { readTeamSettings } from "@/model/verdict-scale";
import { requirePageArticle } from "../../../../_lib/page-access";

export const metadata: Metadata = { title: "Article" };

/**
 * The names shown beside the threads and offered for @mentions and assignees. Members get the desk's
 * member list; a guest never does: they get the people who have written to this article, and themselves.
 */
async function peopleFor(db: Database, params: { teamId: string; articleId: string; user: { id: string; name: string }; role: Role; guest: boolean }) {
  if (!can({ role: params.role, guest: params.guest }, "member:view")) {
    const people = await listArticlePeople(db, { teamId: params.teamId, articleId: params.articleId });
    const self = { userId: params.user.id, name: params.user.name, role: params.role };
    return [self, ...people.filter((p) => p.userId !== params.user.id)];
  }
  const members = await listMembers(db, { teamId: params.teamId });
  return members.map(({ userId, name, role }) => ({ userId, name, role }));
}

export default async function ArticlePage({ params }: { params: Promise<{ team: string; articleId: string }> }) {
  const { team: slug, articleId } = await params;
  const { article, team, role, guest, user } = await requirePageArticle(articleId, "article:view", `/desks/${slug}/articles/${articleId}`);
  const db = getDb();
  const [people] = await Promise.all([
    peopleFor(db, { teamId: team.id, articleId: article.id, user, role, guest }),
    recordVisit(db, { articleId: article.id, userId: user.id }),
  ]);
  const { verdictScale, allowSelfApproval } = readTeamSettings(team.settings);
  return (
    <main className="wide">
      <div className="crumbs">
        {guest ? (
          // A guest sees this article only: the desk's name, but no way into the desk.
          <>
            <Link href="/desks">Shared with you</Link> / {team.name} /
          </>
        ) : (
          <>
            <Link href="/desks">Desks</Link> / <Link href={`/desks/${team.slug}`}>{team.name}</Link> /
          </>
        )}
      </div>
      <article className="card" style={{ padding: "28px 32px" }}>
        <header style={{ marginBottom: 20 }}>
          <h1 style={{ margin: 0, fontSize: 28, maxWidth: "32ch" }}>{article.title}</h1>
          <p className="article-meta">
            {article.publisher && <span>{article.publisher}</span>}
            {article.author && <span>By {article.author}</span>}
            {article.publishedOn && <span>Published {article.publishedOn}</span>}
            {article.sourceUrl && (
              <a href={article.sourceUrl} rel="noopener noreferrer nofollow">
                Original source
              </a>
            )}
            <span>
              You are {guest && <span className="badge">Guest</span>} <RoleBadge role={role} />
            </span>
          </p>
          {can({ role, guest }, "member:manage") && <GuestsControl articleId={article.id} />}
        </header>
        <ArticleWorkspace
          articleId={article.id}
          role={role}
          guest={guest}
          user={{ id: user.id, name: user.name, color: colourFor(user.id) }}
          members={people}
          scale={verdictScale}
          allowSelfApproval={allowSelfApproval}
          publicPath={`/p/${team.slug}/${article.slug}`}
        >
          <ArticleText content={article.content} />
        </ArticleWorkspace>
      </article>
    </main>
  );
}
