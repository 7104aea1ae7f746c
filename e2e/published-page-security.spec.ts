import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";
import { ArticlePage } from "./pages/desk-pages";
import { DeskSettingsPage, PublicPage, PublishControls, SummaryPanel } from "./pages/publishing-pages";
import { ReviewPanel } from "./pages/review-panel";

// Every payload calls alert() if it ever runs; a dialog listener catches any that does.
const P = {
  title: `<script>alert("title")</script>`,
  source: `https://example.org/news?a="><script>alert("source")</script>`,
  publisher: `<svg onload=alert("publisher")>`,
  textScript: `<script>alert("text")</script>`,
  textImg: `<img src=x onerror=alert("img")>`,
  textJs: `javascript:alert("js")`,
  comment: `<script>alert("comment")</script>`,
  claimant: `<img src=x onerror=alert("claimant")>`,
  evidenceTitle: `<img src=x onerror=alert("evidence")> Crime statistics`,
  evidenceUrl: `https://example.org/stats?q="><script>alert("url")</script>&next=javascript:alert(1)`,
  evidencePublisher: `<b onmouseover=alert("evpub")>Gazette</b>`,
  evidenceNote: `javascript:alert("note")`,
  rationale: `"><svg onload=alert("rationale")></svg> The figures say otherwise.`,
  takeaway: `<img src=x onerror=alert("takeaway")>`,
  summary: `<script>alert("summary")</script>`,
  reason: `<script>alert("reason")</script>`,
};
const CLAIM = `${P.textScript} that crime fell by 40 percent`;
const COMMENTED = `the figure was wrong, see ${P.textJs}`;
const TEXT = [`The mayor claimed ${CLAIM} last year.`, `Officials said ${P.textImg} ${COMMENTED} for details.`].join("\n\n");

/** Everything that would show that markup from the desk ran or rendered on a page. */
function watch(page: Page) {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") seen.errors.push(m.text());
  });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  return seen;
}

/** The markup a payload could have produced: scripts, event handlers, non-http(s) links, unsafe external links. */
async function injectedMarkup(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll("*")];
    return {
      scripts: [...document.scripts].filter((s) => s.type !== "application/ld+json").length,
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith("on")).map((a) => `${el.tagName}[${a.name}]`)),
      unsafeLinks: [...document.querySelectorAll("[href], [src]")]
        .map((el) => el.getAttribute("href") ?? el.getAttribute("src") ?? "")
        .filter((v) => !v.startsWith("#") && !v.startsWith("/") && !/^https?:\/\//i.test(v)),
      externalWithoutRel: [...document.querySelectorAll<HTMLAnchorElement>("a[href^='http']")]
        .filter((a) => a.origin !== location.origin)
        .filter((a) => !(a.relList.contains("nofollow") && a.relList.contains("noopener"))).length,
      injected: document.querySelectorAll("img, svg, iframe, object, embed").length,
    };
  });
}

test("a published page shows the desk's hostile-looking text as text, and none of it runs", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const owner = newPerson("Owner");
  await signUpByApi(page.request, owner);
  const created = await page.request.post("/api/teams", { data: { name: `Security desk ${randomBytes(3).toString("hex")}` } });
  const { team } = (await created.json()) as { team: { slug: string } };
  // The owner works alone, so they let authors approve their own verdicts.
  const settings = new DeskSettingsPage(page);
  await settings.goto(team.slug);
  await expect(settings.selfApproval).not.toBeChecked();
  await settings.setSelfApproval(true);

  const title = `Crime ${P.title} report`;
  const imported = await page.request.post(`/api/teams/${team.slug}/articles`, {
    data: { title, format: "text", content: TEXT, sourceUrl: P.source, publisher: P.publisher, author: P.claimant },
  });
  expect(imported.status()).toBe(201);
  const { article } = (await imported.json()) as { article: { id: string } };

  const articlePage = new ArticlePage(page);
  await articlePage.goto(team.slug, article.id);
  await articlePage.waitUntilLive();
  const review = new ReviewPanel(page);

  // An internal comment, which must never be published.
  const secret = `internal ${randomBytes(4).toString("hex")}`;
  await review.selectText(COMMENTED);
  await review.selectionMenu.getByRole("button", { name: "Comment" }).click();
  const newComment = page.getByRole("region", { name: "New comment" });
  await newComment.getByRole("combobox").fill(`${P.comment} ${secret}`);
  await newComment.getByRole("button", { name: "Comment" }).click();
  await expect(review.thread(COMMENTED)).toContainText(secret);

  // A claim whose every field carries a payload; a javascript: evidence address is refused outright.
  await review.flagClaim(CLAIM);
  const card = await review.open(CLAIM);
  await card.getByLabel("Claimant").fill(P.claimant);
  await card.getByLabel("Claimant").blur();
  await card.getByRole("button", { name: "+ Add evidence" }).click();
  const form = card.getByRole("form", { name: "Add evidence" });
  await form.getByLabel("URL").fill("javascript:alert(1)");
  await form.getByRole("button", { name: "Add evidence" }).click();
  await expect(form.getByRole("alert")).toHaveText("Use a full http:// or https:// address.");
  await form.getByRole("button", { name: "Cancel" }).click();
  await review.addEvidence(CLAIM, { url: P.evidenceUrl, title: P.evidenceTitle, publisher: P.evidencePublisher, stance: "Refutes", note: P.evidenceNote });
  await expect(card.getByTestId("evidence-item")).toContainText(P.evidenceTitle);
  await review.setVerdict(CLAIM, "False");
  await review.setRationale(CLAIM, P.rationale);
  await review.setState(CLAIM, "In review");
  await review.approve(CLAIM, owner.name);

  const summary = new SummaryPanel(page);
  await summary.write(P.summary);
  await summary.setRating("False");
  await summary.setTakeaway(P.takeaway);
  await expect.poll(() => summary.text()).toContain(P.summary);
  await summary.approve(owner.name);

  const publish = new PublishControls(page);
  await publish.publish([CLAIM]);
  const publicHref = (await publish.publicLink.getAttribute("href"))!;

  // A signed-out reader, with JavaScript on, listening for dialogs and console errors.
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  const seen = watch(readerPage);
  const reader = new PublicPage(readerPage);
  const res = await reader.goto(publicHref);
  expect(res.status()).toBe(200);
  const csp = res.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toMatch(/script-src(?![^;]*'none')/);

  // Every payload is there, as text.
  const body = readerPage.locator("body");
  for (const text of [title, P.textScript, P.textImg, P.textJs, P.evidenceTitle, P.evidencePublisher, P.evidenceNote, P.rationale.trim(), P.takeaway, P.summary]) {
    await expect(body).toContainText(text);
  }
  await expect(reader.claim(CLAIM)).toContainText("Verdict: False");
  const evidenceHref = await reader.claim(CLAIM).getByRole("link", { name: P.evidenceTitle }).getAttribute("href");
  expect(new URL(evidenceHref!).href).toBe(new URL(P.evidenceUrl).href);
  expect(await readerPage.title()).toContain(title);
  expect(await readerPage.locator('meta[property="og:title"]').getAttribute("content")).toContain(title);

  // The JSON-LD carries the quote as data and cannot be broken out of.
  const reviews = await reader.claimReviews();
  expect(reviews).toHaveLength(1);
  expect(String(reviews[0]!.claimReviewed)).toContain(P.textScript);
  // Read as the raw document: each JSON-LD block ends where the page meant it to, and parses whole.
  const html = await res.text();
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
  expect(blocks).toHaveLength(await readerPage.locator("script").count());
  for (const block of blocks) expect(() => JSON.parse(block)).not.toThrow();

  // Internal threads never appear.
  expect(html).not.toContain(secret);
  expect(html).not.toContain(`alert("comment")`);

  // Nothing ran, nothing became markup.
  expect(await injectedMarkup(readerPage)).toEqual({ scripts: 0, handlers: [], unsafeLinks: [], externalWithoutRel: 0, injected: 0 });
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);

  // With JavaScript off the page reads the same.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const noJsPage = new PublicPage(await noJs.newPage());
  expect((await noJsPage.goto(publicHref)).status()).toBe(200);
  await expect(noJsPage.claim(CLAIM)).toContainText(P.rationale.trim());
  await noJs.close();

  await readerContext.close();

  // Unpublished with a hostile reason, the page answers 410 and shows the reason as text (to a
  // browser without the page in its cache, which may keep it for a minute).
  await publish.unpublish(P.reason);
  const laterContext = await browser.newContext();
  const laterPage = await laterContext.newPage();
  const later = watch(laterPage);
  const gone = await new PublicPage(laterPage).goto(publicHref);
  expect(gone.status()).toBe(410);
  await expect(laterPage.locator("body")).toContainText(P.reason);
  expect(await injectedMarkup(laterPage)).toEqual({ scripts: 0, handlers: [], unsafeLinks: [], externalWithoutRel: 0, injected: 0 });
  expect(later.dialogs).toEqual([]);
  // The browser reports the page's own 410 (and the favicon it then asks for) as failed loads;
  // anything else (a refused inline script, a handler, a thrown error) would be a finding.
  expect(later.errors.filter((e) => !e.startsWith("Failed to load resource: the server responded with a status of"))).toEqual([]);
  await laterContext.close();
});
