// Factdesk's service worker: an offline shell, so that an open article can be reloaded without a
// network. The article's content itself comes from IndexedDB (y-indexeddb); this only keeps the page
// and its scripts. Pages are network-first (always fresh when online); hashed build assets are
// cache-first. API calls and the collaboration socket are never cached.
const PAGES = "factdesk-pages-v1";
const ASSETS = "factdesk-assets-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function cacheable(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith("/api/") && !url.pathname.startsWith("/collab");
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  if (url.pathname.startsWith("/_next/static/")) event.respondWith(cacheFirst(request));
  else if (request.mode === "navigate" && url.pathname.startsWith("/desks/")) event.respondWith(networkFirst(request));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "cache-page") {
    // The page that installed us was loaded before we controlled it: keep it and its assets now.
    event.waitUntil(
      (async () => {
        const pages = await caches.open(PAGES);
        const assets = await caches.open(ASSETS);
        await Promise.all([
          pages.add(data.page).catch(() => {}),
          ...(data.assets || []).filter((u) => cacheable(new URL(u))).map((u) => assets.add(u).catch(() => {})),
        ]);
      })(),
    );
  } else if (data.type === "clear") {
    // On sign-out nothing of the previous person's pages may stay on the device.
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(ASSETS)]));
  }
});
