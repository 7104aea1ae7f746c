import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRevisionScheduler } from "./revision-scheduler";

const article = { articleId: "a1", teamId: "t1" };

describe("the revision scheduler", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("takes an idle revision only once the article has gone quiet for the whole idle time", async () => {
    const take = vi.fn(async () => {});
    const scheduler = createRevisionScheduler({ idleMs: 1_000, take });
    scheduler.changed(article);
    await vi.advanceTimersByTimeAsync(800);
    scheduler.changed(article); // still typing: the clock starts again
    await vi.advanceTimersByTimeAsync(800);
    expect(take).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(take).toHaveBeenCalledExactlyOnceWith({ articleId: "a1", teamId: "t1", reason: "idle" });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(take).toHaveBeenCalledTimes(1);
  });

  it("takes a last-leave revision at once, and none for an article that did not change", async () => {
    const take = vi.fn(async () => {});
    const scheduler = createRevisionScheduler({ idleMs: 1_000, take });
    scheduler.lastLeft("untouched");
    scheduler.changed(article);
    scheduler.lastLeft("a1");
    expect(take).toHaveBeenCalledExactlyOnceWith({ articleId: "a1", teamId: "t1", reason: "last-leave" });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(take).toHaveBeenCalledTimes(1);
  });

  it("takes what is owed on close and waits for it; a failed revision is logged, not thrown", async () => {
    let finished = false;
    const take = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      finished = true;
      throw new Error("database down");
    });
    const scheduler = createRevisionScheduler({ idleMs: 1_000, take });
    scheduler.changed(article);
    const closing = scheduler.close();
    await vi.advanceTimersByTimeAsync(20);
    await closing;
    expect(finished).toBe(true);
    expect(take).toHaveBeenCalledWith({ articleId: "a1", teamId: "t1", reason: "last-leave" });
  });
});
