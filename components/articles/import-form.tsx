"use client";

import { useRouter } from "next/navigation";
import { LIMITS } from "@/model/limits";
import { apiFetch } from "../ui/api-client";
import { ErrorAlert } from "../ui/error-alert";
import { useAction } from "../ui/use-action";

/** Pastes an article (plain text or HTML) with its source details into a desk. */
export function ImportArticleForm({ teamSlug }: { teamSlug: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(["title", "format", "content", "sourceUrl", "publisher", "author", "publishedAt"].map((k) => [k, form.get(k) ?? ""]));
    void run(async () => {
      const { article } = await apiFetch<{ article: { id: string } }>(`/api/teams/${teamSlug}/articles`, { body });
      router.push(`/desks/${teamSlug}/articles/${article.id}`);
    }, { keepBusy: true });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-label="Import article">
      <ErrorAlert message={error} />
      <label>
        Title
        <input name="title" required maxLength={LIMITS.titleChars} />
      </label>
      <fieldset className="row" aria-label="Format">
        <span style={{ fontWeight: 600, fontSize: 13 }}>The text below is</span>
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="radio" name="format" value="text" defaultChecked style={{ width: "auto" }} /> plain text
        </label>
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="radio" name="format" value="html" style={{ width: "auto" }} /> HTML
        </label>
      </fieldset>
      <label>
        Article text <span className="hint">Paste the article. Blank lines separate paragraphs. HTML keeps headings, lists, quotes, links and emphasis only.</span>
        <textarea name="content" required maxLength={LIMITS.importedArticleChars} />
      </label>
      <div className="grid-2">
        <label>
          Source URL
          <input name="sourceUrl" type="url" placeholder="https://" maxLength={LIMITS.urlChars} />
        </label>
        <label>
          Publisher
          <input name="publisher" maxLength={200} />
        </label>
        <label>
          Author
          <input name="author" maxLength={200} />
        </label>
        <label>
          Publication date
          <input name="publishedAt" type="date" />
        </label>
      </div>
      <div className="row">
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Importing…" : "Import article"}
        </button>
      </div>
    </form>
  );
}
