import type { DbOrTx } from "@/db/client";
import { findPublicPage } from "@/db/queries/publications";
import { cachedPage, type CachedPage } from "./page-cache";
import type { PublicationPages, RenderedPage } from "./pages";

/** How long readers' caches and CDNs may keep a public page, and serve it stale while refetching. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

// Desk and article slugs are lower-case letters, digits and dashes; anything else names nothing.
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const VERSION = /^[1-9][0-9]{0,6}$/;

const utf8 = new TextEncoder();

/** A public page's answer, for a route handler or the app server's own fast path to send as it is. */
export interface PublicPageAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

function answer(page: CachedPage): PublicPageAnswer {
  return {
    status: page.status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": String(page.body.byteLength),
      "Content-Security-Policy": page.csp,
      "Cache-Control": page.cacheControl,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    },
    body: page.body,
  };
}

function encoded(page: RenderedPage, status: number, cacheControl: string): CachedPage {
  return { body: utf8.encode(page.html), csp: page.csp, status, cacheControl };
}

/**
 * Answers a reader's request for `/p/<team>/<article>` (the newest publication) or `…/v/<n>`: the
 * stored page exactly as it was rendered, with its own Content-Security-Policy and public cache
 * headers; 410 with an explanation once the article is unpublished (every version of it); 404 for
 * anything else. Nothing is rendered from the live document here, and a page many readers ask for
 * at once is read from the database once every few seconds (see page-cache.ts).
 */
export async function answerPublicPage(
  db: DbOrTx,
  params: { teamSlug: string; articleSlug: string; version?: string; pages: Pick<PublicationPages, "gone" | "notFound"> },
): Promise<PublicPageAnswer> {
  const { teamSlug, articleSlug, version, pages } = params;
  if (!SLUG.test(teamSlug) || !SLUG.test(articleSlug) || (version !== undefined && !VERSION.test(version))) {
    return answer(encoded(pages.notFound(), 404, "no-store"));
  }
  const key = `${teamSlug}/${articleSlug}/${version ?? ""}`;
  const page = await cachedPage(key, async () => {
    const found = await findPublicPage(db, { teamSlug, articleSlug, number: version === undefined ? undefined : Number(version) });
    if (found?.unpublishedAt) return encoded(pages.gone({ title: found.title, reason: found.unpublishReason, at: found.unpublishedAt }), 410, PUBLIC_CACHE_CONTROL);
    if (found?.html && found.csp) return encoded({ html: found.html, csp: found.csp }, 200, PUBLIC_CACHE_CONTROL);
    return null;
  });
  return answer(page ?? encoded(pages.notFound(), 404, "no-store"));
}

/** `answerPublicPage` as a Fetch API Response, for route handlers. */
export async function servePublicPage(db: DbOrTx, params: Parameters<typeof answerPublicPage>[1]): Promise<Response> {
  const { status, headers, body } = await answerPublicPage(db, params);
  return new Response(body, { status, headers });
}

/**
 * Where a request path names a public page: `/p/<team>/<article>` or `/p/<team>/<article>/v/<n>`
 * (a query string is ignored); undefined for anything else.
 */
export function publicPageAddress(url: string): { teamSlug: string; articleSlug: string; version?: string } | undefined {
  const match = /^\/p\/([^/?#]+)\/([^/?#]+)(?:\/v\/([^/?#]+))?(?:[?#].*)?$/.exec(url);
  if (!match) return undefined;
  try {
    const [teamSlug, articleSlug, version] = match.slice(1).map((s) => (s === undefined ? undefined : decodeURIComponent(s)));
    return { teamSlug: teamSlug!, articleSlug: articleSlug!, ...(version !== undefined ? { version } : {}) };
  } catch {
    return undefined;
  }
}
