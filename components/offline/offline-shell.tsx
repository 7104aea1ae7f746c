"use client";

import { useEffect } from "react";

/**
 * Registers the service worker that keeps an open article reloadable without a network, and hands it
 * the current page and its assets (loaded before the worker controlled the page).
 */
export function OfflineShell() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    let cancelled = false;
    navigator.serviceWorker
      .register("/sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (cancelled || !location.pathname.startsWith("/desks/")) return;
        const assets = performance
          .getEntriesByType("resource")
          .map((entry) => entry.name)
          .filter((name) => name.startsWith(`${location.origin}/_next/static/`));
        registration.active?.postMessage({ type: "cache-page", page: location.href, assets });
      })
      .catch(() => {
        // Without a service worker the app still works; only offline reloads do not.
      });
    return () => {
      cancelled = true;
    };
  }, []);
  return null;
}

/** Forgets cached pages, so that a signed-out device keeps nothing of the previous person. */
export async function clearOfflineCache(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration();
  registration?.active?.postMessage({ type: "clear" });
}
