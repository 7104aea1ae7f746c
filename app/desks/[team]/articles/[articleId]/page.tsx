import type { Metadata } from "next";
import Link from "next/link";
import { ArticleText } from "@/components/articles/article-text";
import { ArticleWorkspace } from "@/components/editor/article-workspace";
import { RoleBadge } from "@/components/ui/role-badge";
import { getDb } from "@/db/client";
import { recordVisit } from "@/db/queries/articles";
import { listMembers } from "@/db/queries/members";
import { colourFor } from "@/model/person-colour";
import { readTeamSettings } from "@/model/verdict-scale";
import { requirePageArticle } from "../../../../_lib/page-access";

export const metadata: Metadata = { title: "Article" };

export default async function ArticlePage({ params }: { params: Promise<{ team: string; articleId: string }> }) {
  const { team: slug, articleId } = await params;
  const { article, team, role, user } = await requirePageArticle(articleId, "article:view", `/desks/${slug}/articles/${articleId}`);
  const db = getDb();
  const [members] = await Promise.all([listMembers(db, { teamId: team.id }), recordVisit(db, { articleId: article.id, userId: user.id })]);
  const { verdictScale, allowSelfApproval } = readTeamSettings(team.settings);
  return (
    <main className="wide">
      <div className="crumbs">
        <Link href="/desks">Desks</Link> / <Link href={`/desks/${team.slug}`}>{team.name}</Link> /
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
              You are <RoleBadge role={role} />
            </span>
          </p>
        </header>
        <ArticleWorkspace
          articleId={article.id}
          role={role}
          user={{ id: user.id, name: user.name, color: colourFor(user.id) }}
          members={members.map(({ userId, name, role: r }) => ({ userId, name, role: r }))}
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
