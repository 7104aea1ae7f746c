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
  const timers = new Map<string, NodeJS.Timeout>();
  /** Articles changed since their last revision: their desk and when their log last grew. */
  const changed = new Map<string, { teamId: string; at: number }>();
  const taking = new Set<Promise<unknown>>();

  const take = (articleId: string, reason: RevisionReason) => {
    const timer = timers.get(articleId);
    if (timer) clearTimeout(timer);
    timers.delete(articleId);
    const entry = changed.get(articleId);
    if (!entry) return;
    changed.delete(articleId);
    const done = options
      .take({ articleId, teamId: entry.teamId, reason })
      .catch((error: unknown) => logger().error({ err: error, articleId, reason }, "could not take an automatic revision"))
      .finally(() => taking.delete(done));
    taking.add(done);
  };

  // One timer per changed article, re-armed for the time that is left rather than on every change:
  // a busy article's log grows four times a second, and each change only records when it happened.
  const arm = (articleId: string, delayMs: number) => {
    timers.set(
      articleId,
      setTimeout(() => {
        const entry = changed.get(articleId);
        if (!entry) return void timers.delete(articleId);
        const left = entry.at + idleMs - Date.now();
        if (left > 0) arm(articleId, left);
        else take(articleId, "idle");
      }, delayMs),
    );
  };

  return {
    /** Records that an article's log just grew; its idle clock starts again. */
    changed(article: { articleId: string; teamId: string }): void {
      // Updated in place: a busy article changes four times a second.
      const entry = changed.get(article.articleId);
      if (entry) entry.at = Date.now();
      else changed.set(article.articleId, { teamId: article.teamId, at: Date.now() });
      if (!timers.has(article.articleId)) arm(article.articleId, idleMs);
    },
    /** The last person left the article (every room of it is empty). */
    lastLeft(articleId: string): void {
      take(articleId, "last-leave");
    },
    /** Takes the revisions still owed (on shutdown) and waits for every one under way. */
    async close(): Promise<void> {
      for (const articleId of [...changed.keys()]) take(articleId, "last-leave");
      await Promise.all(taking);
    },
  };
}
