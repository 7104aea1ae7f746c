import { beforeEach, describe, expect, it } from "vitest";
import { cachedPage, forgetPages, PAGE_CACHE_TTL_MS, type CachedPage } from "./page-cache";

const page = (html: string): CachedPage => ({ status: 200, body: new TextEncoder().encode(html), csp: "default-src 'none'", cacheControl: "public" });
const html = (cached: CachedPage | null) => cached && new TextDecoder().decode(cached.body);

/** A loader that counts its reads and answers what `next` holds at the time. */
function loader(initial: string | null) {
  const state = { next: initial, reads: 0 };
  const load = async () => {
    state.reads += 1;
    return state.next === null ? null : page(state.next);
  };
  return { state, load };
}

describe("the public page cache", () => {
  beforeEach(() => forgetPages());

  it("reads a page once for however many requests ask at the same time", async () => {
    const { state, load } = loader("one");
    const answers = await Promise.all(Array.from({ length: 10 }, () => cachedPage("desk/a/", load)));
    expect(answers.map(html)).toEqual(Array(10).fill("one"));
    expect(state.reads).toBe(1);
  });

  it("reuses a page while fresh, then serves it once more while reading it again", async () => {
    const { state, load } = loader("one");
    let clock = 1_000;
    const now = () => clock;
    expect(html(await cachedPage("desk/a/", load, now))).toBe("one");
    state.next = "two";
    clock += PAGE_CACHE_TTL_MS - 1;
    expect(html(await cachedPage("desk/a/", load, now))).toBe("one");
    expect(state.reads).toBe(1);
    clock += 1;
    // Old page now, no waiting; the background read brings the new one.
    expect(html(await cachedPage("desk/a/", load, now))).toBe("one");
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.reads).toBe(2);
    expect(html(await cachedPage("desk/a/", load, now))).toBe("two");
  });

  it("does not remember addresses with nothing there", async () => {
    const { state, load } = loader(null);
    expect(await cachedPage("desk/none/", load)).toBeNull();
    expect(await cachedPage("desk/none/", load)).toBeNull();
    expect(state.reads).toBe(2);
  });

  it("forgets everything at once, and never stores a read that started before", async () => {
    const { state, load } = loader("old");
    let release: () => void = () => {};
    const slow = async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return load();
    };
    const inFlight = cachedPage("desk/a/", slow);
    forgetPages();
    state.next = "new";
    release();
    expect(html(await inFlight)).toBe("new");
    state.next = "newer";
    // The read that began before forgetPages stored nothing: this request reads again.
    expect(html(await cachedPage("desk/a/", load))).toBe("newer");
  });
});

describe("the public page cache's size", () => {
  beforeEach(() => forgetPages());

  it("keeps a bounded number of addresses, dropping the oldest", async () => {
    let reads = 0;
    const load = (html: string) => async () => ((reads += 1), page(html));
    for (let i = 0; i < 300; i++) await cachedPage(`desk/a-${i}/`, load(String(i)));
    expect(reads).toBe(300);
    await cachedPage("desk/a-299/", load("again"));
    expect(reads).toBe(300);
    expect(html(await cachedPage("desk/a-0/", load("again")))).toBe("again");
    expect(reads).toBe(301);
  });
});
