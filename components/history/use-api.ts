"use client";

import { useEffect, useState } from "react";
import { apiFetch } from "../ui/api-client";

interface Loaded<T> {
  url: string;
  data?: T;
  error: string;
}

/**
 * GETs `url` from the API whenever it changes (nothing for null). Until the answer for the current
 * address arrives, `loading` is true and `data` is undefined; a late answer for an older address is dropped.
 */
export function useApi<T>(url: string | null): { data: T | undefined; error: string; loading: boolean } {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  useEffect(() => {
    if (!url) return;
    let stale = false;
    apiFetch<T>(url).then(
      (data) => !stale && setLoaded({ url, data, error: "" }),
      (e: unknown) => !stale && setLoaded({ url, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      stale = true;
    };
  }, [url]);
  const current = url !== null && loaded?.url === url ? loaded : null;
  return { data: current?.data, error: current?.error ?? "", loading: url !== null && !current };
}
