import { logger } from "@/lib/logger";
import type { RevisionReason } from "@/model/revisions/types";

/** How long a desk must leave an article alone after changing it before an automatic revision is taken. */
export const DEFAULT_REVISION_IDLE_MS = 120_000;

export interface RevisionSchedulerOptions {
  idleMs?: number;
  /** Takes an automatic revision of the article (the service skips it when nothing changed since the last one). */
  take: (article: { articleId: string; teamId: string; reason: RevisionReason }) => Promise<unknown>;
}

/**
 * Decides when automatic revisions are taken: once an article has been idle for a while after a
 * change, and when its last person leaves. Only articles changed since their last revision count,
 * so opening and closing an article does not add to its history.
 */
export function createRevisionScheduler(options: RevisionSchedulerOptions) {
  const idleMs = options.idleMs ?? DEFAULT_REVISION_IDLE_MS;
  /** Articles changed since their last revision: their desk and when their log last grew. */
  const changed = new Map<string, { teamId: string; at: number }>();
  const taking = new Set<Promise<unknown>>();
  // One timer for every article, set for the earliest time one of them can be due. A busy article's
  // log grows four times a second and each change only records when it happened; a timer per article
  // would cost every loaded article a timer object and a closure.
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;

  const take = (articleId: string, reason: RevisionReason) => {
    const entry = changed.get(articleId);
    if (!entry) return;
    changed.delete(articleId);
    const done = options
      .take({ articleId, teamId: entry.teamId, reason })
      .catch((error: unknown) => logger().error({ err: error, articleId, reason }, "could not take an automatic revision"))
      .finally(() => taking.delete(done));
    taking.add(done);
  };

  const schedule = () => {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of changed.values()) next = Math.min(next, entry.at + idleMs);
    if (next === Number.POSITIVE_INFINITY || (timer && timerAt <= next)) return;
    clearTimeout(timer);
    timerAt = next;
    timer = setTimeout(sweep, Math.max(0, next - Date.now()));
  };

  const sweep = () => {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const [articleId, entry] of changed) if (entry.at + idleMs <= now) take(articleId, "idle");
    schedule();
  };

  return {
    /** Records that an article's log just grew; its idle clock starts again. */
    changed(article: { articleId: string; teamId: string }): void {
      // Updated in place: a busy article changes four times a second.
      const entry = changed.get(article.articleId);
      if (entry) entry.at = Date.now();
      else changed.set(article.articleId, { teamId: article.teamId, at: Date.now() });
      // A later time never makes the armed timer too early; it only finds nothing due and re-arms.
      if (!timer) schedule();
    },
    /** The last person left the article (every room of it is empty). */
    lastLeft(articleId: string): void {
      take(articleId, "last-leave");
    },
    /** Takes the revisions still owed (on shutdown) and waits for every one under way. */
    async close(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      for (const articleId of [...changed.keys()]) take(articleId, "last-leave");
      await Promise.all(taking);
    },
  };
}
