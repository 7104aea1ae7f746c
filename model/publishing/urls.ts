/** Where the public pages live: `/p/<team-slug>/<article-slug>`, and `/v/<n>` under it for one version. */
export const PUBLIC_PATH_PREFIX = "/p";

/** The path of an article's public page (its latest publication). */
export function publicationPath(params: { teamSlug: string; articleSlug: string }): string {
  return `${PUBLIC_PATH_PREFIX}/${encodeURIComponent(params.teamSlug)}/${encodeURIComponent(params.articleSlug)}`;
}

/** The path of one numbered publication of an article. */
export function publicationVersionPath(params: { teamSlug: string; articleSlug: string; number: number }): string {
  return `${publicationPath(params)}/v/${params.number}`;
}
