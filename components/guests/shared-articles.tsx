import Link from "next/link";
import { ROLE_LABELS, type Role } from "@/model/roles";

export interface SharedArticleItem {
  articleId: string;
  title: string;
  team: { slug: string; name: string };
  role: Role;
  expiresAt: Date;
}

/** The articles other desks shared with the user as a guest: title, desk, role and until when. */
export function SharedArticles({ articles }: { articles: SharedArticleItem[] }) {
  return (
    <section aria-labelledby="shared-with-you" className="stack" style={{ marginTop: 28 }}>
      <h2 id="shared-with-you" style={{ margin: 0, fontSize: 19 }}>
        Shared with you
      </h2>
      <p className="muted small" style={{ margin: 0 }}>
        Articles you were invited to as a guest. You see each of them, not the rest of its desk.
      </p>
      <ul className="desk-list" aria-label="Shared with you" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {articles.map((a) => (
          <li key={a.articleId} data-testid="shared-article">
            <Link href={`/desks/${a.team.slug}/articles/${a.articleId}`}>
              <div className="card">
                <strong>{a.title}</strong>
                <div className="row small" style={{ marginTop: 8 }}>
                  <span className="muted">{a.team.name}</span>
                  <span className="badge">Guest · {ROLE_LABELS[a.role]}</span>
                  <span className="muted">
                    until <time dateTime={a.expiresAt.toISOString()}>{a.expiresAt.toISOString().slice(0, 10)}</time>
                  </span>
                </div>
              </div>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
