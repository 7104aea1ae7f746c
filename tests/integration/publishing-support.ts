import { Window } from "happy-dom";
import { createArticle } from "@/db/queries/articles";
import type { Article } from "@/db/schema";
import { bodyToJson } from "@/model/article-doc";
import { plainTextToDoc, type ProseMirrorJson } from "@/model/editor-extensions";
import { linearText } from "@/model/publishing";
import { anchorPositionsAt, quoteSelector, type Anchor } from "@/model/review";
import { scriptSession, type ScriptedSession } from "../support/scripted-session";
import type { TestApp } from "../support/test-database";

/**
 * A scripted desk session without a server, for the publishing tests: each user edits a Yjs document
 * of their own (their own Yjs client id, as in a browser), made by model/ operations, and the update
 * is appended to the room's log under their user id, exactly as the collaboration server stores it.
 * `seen` is what a client holding everything has.
 */
export interface Session extends ScriptedSession {
  article: Article;
  /** An anchor on the first occurrence of `phrase` in the body, as the editor builds it. */
  anchor(phrase: string): Anchor;
}

/** Imports an article (plain text, or ProseMirror JSON as the importer stores it) and seeds its rooms as the server would. */
export async function startSession(app: TestApp, params: { teamId: string; createdBy: string; title: string; text?: string; content?: ProseMirrorJson }): Promise<Session> {
  const content = params.content ?? plainTextToDoc(params.text ?? "");
  const article = await createArticle(app.db, { teamId: params.teamId, createdBy: params.createdBy, article: { title: params.title, content, sourceUrl: "https://news.example/story" } });
  const scripted = await scriptSession(app.db, { articleId: article.id, content });
  const { seen } = scripted;
  return {
    article,
    ...scripted,
    anchor(phrase) {
      const text = linearText(bodyToJson(seen.body));
      const from = text.indexOf(phrase);
      if (from === -1) throw new Error(`"${phrase}" is not in the body`);
      const positions = anchorPositionsAt(seen.body, from, from + phrase.length);
      if (!positions) throw new Error(`no anchor on "${phrase}"`);
      return { ...positions, quote: quoteSelector(text, from, from + phrase.length) };
    },
  };
}

/** Parses a page with a real HTML parser (happy-dom's), as a browser would build its DOM. */
export function parseHtml(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, "text/html") as unknown as Document;
}

/** The JSON-LD blocks of a page, parsed. */
export function jsonLdOf(doc: Document): Record<string, unknown>[] {
  return [...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent ?? "") as Record<string, unknown>);
}
