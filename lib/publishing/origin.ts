import type { NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * The origin public pages are addressed from: the configured site URL (NEXTAUTH_URL) when there is
 * one, so that stored pages and JSON-LD name the public address, else the origin the request came to.
 */
export function publicOrigin(req: NextRequest): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // Not a URL: fall back to the request's own origin.
    }
  }
  return req.nextUrl.origin;
}
