/**
 * The security headers every app page and API answer carries (next.config.ts `headers()`). The public
 * pages under /p/ are left out: they are served with a stricter policy of their own (lib/publishing).
 * This module is pure and imports nothing, because next.config.ts loads it before the app exists.
 */

export interface SecurityHeaderOptions {
  /** `next dev` needs `eval` for its refresh runtime; production never gets it. */
  dev: boolean;
}

/**
 * The app's Content-Security-Policy. Scripts: `'self' 'unsafe-inline'` — the App Router hydrates
 * through inline scripts and per-request nonces would make every page dynamic, so inline scripts are
 * allowed but nothing from other origins and, outside dev, no `eval`. Connections: the app itself and
 * websockets (`ws:`/`wss:`). Next fixes these headers at build time, before the deployment's own
 * address or a separate collaboration server's (COLLAB_URL) is known, and the browser may reach the
 * app under another host name than the one the collaboration URL names (127.0.0.1 and localhost).
 */
export function contentSecurityPolicy(options: SecurityHeaderOptions): string {
  const directives: [string, string[]][] = [
    ["default-src", ["'self'"]],
    ["script-src", ["'self'", "'unsafe-inline'", ...(options.dev ? ["'unsafe-eval'"] : [])]],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "https:"]],
    ["font-src", ["'self'", "data:"]],
    ["connect-src", ["'self'", "ws:", "wss:"]],
    ["object-src", ["'none'"]],
    ["frame-ancestors", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(" ")}`).join("; ");
}

/** The headers, as name/value pairs in the shape next.config.ts `headers()` takes. */
export function securityHeaders(options: SecurityHeaderOptions): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(options) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
  ];
}

/** Every path except the public pages (`/p/…`), in next.config's path-to-regexp syntax. */
export const SECURITY_HEADERS_SOURCE = "/:path((?!p/|p$).*)";
