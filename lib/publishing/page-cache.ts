/**
 * A few seconds of memory for the public pages this process served, so that a page read by many
 * readers at once costs one database read every few seconds instead of one per request, and no
 * reader waits for it: once a page is older than PAGE_CACHE_TTL_MS the next request still gets it
 * while a single read in the background fetches it again. Pages are immutable once stored; what can
 * change is which version is the newest and whether the article is unpublished. This process
 * forgets everything the moment it publishes or unpublishes; another process serving the same
 * database may answer with the previous state for about PAGE_CACHE_TTL_MS (readers' caches may keep
 * a page for a minute anyway, see PUBLIC_CACHE_CONTROL).
 */

/** How long a looked-up page is reused before it is read again. */
export const PAGE_CACHE_TTL_MS = 5_000;
/** How long past that an old page may still be served while its new read is under way. */
const STALE_GRACE_MS = 60_000;
/** At most this many addresses are kept; past it the oldest entry goes. */
const MAX_ENTRIES = 256;

export interface CachedPage {
  status: number;
  /** The page as UTF-8, encoded once rather than on every response. */
  body: Uint8Array<ArrayBuffer>;
  csp: string;
  cacheControl: string;
}

interface Entry {
  page: CachedPage;
  freshUntil: number;
}

interface Cache {
  entries: Map<string, Entry>;
  /** Reads under way, one per address, shared by every request that needs it. */
  loading: Map<string, Promise<CachedPage | null>>;
  /** Bumped by forgetPages, so that a read started before it never stores what it found. */
  generation: number;
}

// Kept on globalThis: Next's bundle (the publishing API, the route handlers) and the app server's
// own fast path are separate module instances, and all must share one cache (the API clears it).
const globalForCache = globalThis as unknown as { __factdeskPublicPageCache?: Cache };

function cache(): Cache {
  globalForCache.__factdeskPublicPageCache ??= { entries: new Map(), loading: new Map(), generation: 0 };
  return globalForCache.__factdeskPublicPageCache;
}

function remember(key: string, page: CachedPage, now: number): void {
  const { entries } = cache();
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { page, freshUntil: now + PAGE_CACHE_TTL_MS });
}

/** Reads `key` with `load`, once however many requests ask at the same time; stores what it found. */
function read(key: string, load: () => Promise<CachedPage | null>, now: () => number): Promise<CachedPage | null> {
  const c = cache();
  const pending = c.loading.get(key);
  if (pending) return pending;
  const generation = c.generation;
  const promise = load()
    .then((page) => {
      if (c.generation !== generation) return page;
      // Unknown addresses are not remembered: anyone can make up as many as they like.
      if (page) remember(key, page, now());
      else c.entries.delete(key);
      return page;
    })
    .finally(() => {
      if (c.loading.get(key) === promise) c.loading.delete(key);
    });
  c.loading.set(key, promise);
  return promise;
}

/**
 * The page for `key`: remembered and fresh, remembered and a little old (then read again in the
 * background), or read now with `load` (null: nothing there, which is not remembered).
 */
export async function cachedPage(key: string, load: () => Promise<CachedPage | null>, now: () => number = Date.now): Promise<CachedPage | null> {
  const entry = cache().entries.get(key);
  const at = now();
  if (entry && entry.freshUntil > at) return entry.page;
  if (entry && entry.freshUntil + STALE_GRACE_MS > at) {
    // The old page now; the new one for the requests after this read. A failed read is retried by the next request.
    read(key, load, now).catch(() => undefined);
    return entry.page;
  }
  return read(key, load, now);
}

/** Forgets every remembered page (after this process published or unpublished something). */
export function forgetPages(): void {
  const c = cache();
  c.entries.clear();
  c.loading.clear();
  c.generation += 1;
}
