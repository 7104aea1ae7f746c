import type { IncomingMessage, ServerResponse } from "node:http";
import { publicationPages } from "@/components/publication/render";
import { getDb } from "@/db/client";
import { logger } from "@/lib/logger";
import { answerPublicPage, publicPageAddress } from "@/lib/publishing";

/**
 * The public pages (`/p/<team>/<article>`, `…/v/<n>`) straight from the stored render, before
 * Next's router: readers' requests are the app's hottest path, and Next's route-handler machinery
 * costs several times what sending a stored page does. The answer is exactly what the route
 * handlers under app/p give (the same `answerPublicPage`); they stay the entry point wherever this
 * server is not in front. Returns false, leaving the request to Next, for anything else.
 */
export function handlePublicPage(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method !== "GET" && req.method !== "HEAD") || !req.url?.startsWith("/p/")) return false;
  const address = publicPageAddress(req.url);
  if (!address) return false;
  answerPublicPage(getDb(), { ...address, pages: publicationPages }).then(
    ({ status, headers, body }) => {
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    },
    (error: unknown) => {
      logger().error({ err: error, url: req.url }, "public page failed");
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Something went wrong on our side.");
    },
  );
  return true;
}
