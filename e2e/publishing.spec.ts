import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";
import { demoArticleId, demoPage } from "./support/demo";
import { ArticlePage } from "./pages/desk-pages";
import { HistoryPage } from "./pages/history-pages";
import { PublicPage, PublishControls, SummaryPanel } from "./pages/publishing-pages";
import { ReviewPanel } from "./pages/review-panel";

// Two claims of the demo article that the other demo specs leave alone (they flag and delete the
// "16,000 foreign terrorist fighters" passage and type into the first paragraph, possibly at the same time).
const KERRY = "Obama hoped to use ISIS as leverage against Assad";
const OIL = "recently captured Tabiyeh and al-Isba oil and gas fields northeast of Deir Ezzor city";

const EVIDENCE = {
  [KERRY]: {
    url: "https://www.nytimes.com/2016/10/01/world/middleeast/john-kerry-syria-audio.html",
    title: "In Audio, Kerry Tells Syrians of Limits of U.S. Power",
    publisher: "The New York Times",
    stance: "Adds context" as const,
    note: "The full recording: Kerry describes watching ISIS grow, not a plan to use it.",
  },
  [OIL]: {
    url: "https://www.reuters.com/article/us-mideast-crisis-syria-oil/idUSKCN1BY0TS",
    title: "U.S.-backed forces take Syrian gas field from Islamic State",
    publisher: "Reuters",
    stance: "Supports" as const,
    note: "Reports the capture of the fields in September 2017.",
  },
};

/** A new person who joins the Demo Desk as its second editor, invited by the demo owner. */
async function secondEditor(browser: Browser): Promise<{ page: Page; name: string }> {
  const owner = await demoPage(browser, "owner");
  const invite = await owner.request.post("/api/teams/demo-desk/invites", { data: { role: "editor" } });
  expect(invite.status()).toBe(201);
  const { invite: link } = (await invite.json()) as { invite: { token: string } };
  await owner.context().close();
  const page = await (await browser.newContext()).newPage();
  const person = newPerson("Approver");
  await signUpByApi(page.request, person);
  expect((await page.request.post(`/api/invites/${link.token}/accept`)).status()).toBe(200);
  return { page, name: person.name };
}

test("the whole desk on the demo article: checked, approved, published, corrected and republished", async ({ browser }) => {
  test.setTimeout(180_000);
  const approver = await secondEditor(browser);
  const [checkerPage, editorPage] = await Promise.all([demoPage(browser, "checker"), demoPage(browser, "editor")]);
  const articleId = await demoArticleId(checkerPage.request);
  for (const page of [checkerPage, editorPage, approver.page]) {
    const article = new ArticlePage(page);
    await article.goto("demo-desk", articleId);
    await article.waitUntilLive();
  }
  const [checker, editor, second] = [checkerPage, editorPage, approver.page].map((p) => new ReviewPanel(p));

  // The checker flags two claims, adds evidence, sets verdicts and rationales, and asks for review.
  const rationale = {
    [KERRY]: `The leaked audio shows Kerry describing how the US watched ISIS grow, not a policy of using it. ${randomBytes(2).toString("hex")}`,
    [OIL]: "Reuters and the SDF's own statements confirm the capture.",
  };
  for (const [quote, verdict] of [
    [KERRY, "Mixed"],
    [OIL, "True"],
  ] as const) {
    await checker!.flagClaim(quote);
    await checker!.addEvidence(quote, EVIDENCE[quote]);
    await checker!.setVerdict(quote, verdict);
    await checker!.setRationale(quote, rationale[quote]);
    await checker!.setState(quote, "In review");
    await expect(checker!.claimState(quote)).toHaveText("In review");
  }

  // A checker may not approve: the gate shows no buttons to them.
  await expect((await checker!.approval(KERRY)).getByRole("button")).toHaveCount(0);

  // The checker writes the desk's summary; the editor sees it arrive live in the summary room.
  const checkerSummary = new SummaryPanel(checkerPage);
  const editorSummary = new SummaryPanel(editorPage);
  const writeUp = `Russia's accusation rests on selective quotes. ${randomBytes(2).toString("hex")}`;
  await checkerSummary.write(writeUp);
  await checkerSummary.setRating("Mostly false");
  const takeaway = "The article stretches real events into a claim of deliberate US support for ISIS.";
  await checkerSummary.setTakeaway(takeaway);
  await expect.poll(() => editorSummary.text()).toContain(writeUp);
  await expect(editorSummary.rating).toHaveValue("mostly-false");
  await expect(editorSummary.takeaway).toHaveValue(takeaway);

  // The editor tries to publish before anything is approved: refused, naming both claims and the summary.
  const publish = new PublishControls(editorPage);
  await publish.openDialog();
  await expect(publish.claimOption(KERRY)).not.toBeChecked();
  await publish.claimOption(KERRY).check();
  await publish.claimOption(OIL).check();
  expect((await publish.submit()).status()).toBe(409);
  await expect(publish.heldBack.filter({ hasText: KERRY })).toContainText("In review");
  await expect(publish.heldBack.filter({ hasText: OIL.slice(0, 40) })).toBeVisible();
  await expect(publish.heldBack.filter({ hasText: "summary" })).toBeVisible();
  await publish.dialog.getByRole("button", { name: "Cancel" }).click();

  // A second editor approves both claims and the summary, once they see them as the checker left
  // them (an approval covers exactly what the approver saw); everyone sees who approved.
  const secondSummary = new SummaryPanel(approver.page);
  for (const quote of [KERRY, OIL]) await expect(second!.claimState(quote)).toHaveText("In review");
  await expect(secondSummary.takeaway).toHaveValue(takeaway);
  await expect.poll(() => secondSummary.text()).toContain(writeUp);
  await second!.approve(KERRY, approver.name);
  await second!.approve(OIL, approver.name);
  await secondSummary.approve(approver.name);
  await expect(await editor!.approval(KERRY)).toContainText(`Approved by ${approver.name}`);
  await expect(checker!.claimState(OIL)).toHaveText("Approved");
  await expect(editorSummary.approval).toHaveAttribute("data-status", "approved");

  // The editor publishes: the approved claims are chosen already.
  await publish.openDialog();
  await expect(publish.claimOption(KERRY)).toBeChecked();
  await expect(publish.claimOption(OIL)).toBeChecked();
  await expect(publish.dialog.getByTestId("publish-summary-state")).toHaveText("The summary is approved and leads the page.");
  const first = await publish.publish([KERRY, OIL]);
  const publicHref = (await publish.publicLink.getAttribute("href"))!;
  // The checker, who has the article open, sees it published without reloading.
  await expect(new PublishControls(checkerPage).state).toContainText(`Published #${first}`);

  // Anyone, signed out, reads the page: both verdicts, the evidence, the summary, and the JSON-LD.
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  const reader = new PublicPage(readerPage);
  expect((await reader.goto(publicHref)).status()).toBe(200);
  await expect(reader.summary).toContainText("Mostly false");
  await expect(reader.summary).toContainText(takeaway);
  await expect(reader.summary).toContainText(writeUp);
  await expect(reader.claim(KERRY)).toContainText("Verdict: Mixed");
  await expect(reader.claim(OIL)).toContainText("Verdict: True");
  await expect(reader.claim(KERRY)).toContainText(rationale[KERRY]);
  await expect(reader.claim(KERRY).getByRole("link", { name: EVIDENCE[KERRY].title })).toHaveAttribute("href", EVIDENCE[KERRY].url);
  await expect(reader.claim(KERRY)).toContainText("Adds context");
  await expect(reader.claim(OIL).getByRole("link", { name: EVIDENCE[OIL].title })).toHaveAttribute("rel", /nofollow/);
  await expect(reader.claim(OIL)).toContainText(`Approved by ${approver.name}`);
  await expect(reader.tableOfClaims.getByRole("link")).toHaveCount(2);
  const reviews = await reader.claimReviews();
  expect(reviews).toHaveLength(2);
  const kerryReview = reviews.find((r) => String(r.claimReviewed).includes(KERRY))!;
  expect(kerryReview.reviewRating).toMatchObject({ "@type": "Rating", alternateName: "Mixed" });
  expect(String(kerryReview.url)).toMatch(/#claim-[A-Za-z0-9_-]+$/);
  expect(kerryReview.dateModified).toBeUndefined();
  // Each JSON-LD url names an anchor that exists on the page.
  const anchor = String(kerryReview.url).split("#")[1]!;
  await expect(readerPage.locator(`[id="${anchor}"]`)).toContainText(KERRY);

  // The editor changes one verdict: the claim is back in review and its approval void, for everyone.
  await editor!.setVerdict(KERRY, "Mostly false");
  for (const panel of [editor!, second!, checker!]) {
    const gate = await panel.approval(KERRY);
    await expect(gate).toHaveAttribute("data-status", "void");
    await expect(gate).toContainText(`Approval void: changed since ${approver.name} approved it`);
    await expect(panel.claimState(KERRY)).toHaveText("In review");
  }
  // Nor can the editor approve the verdict they set themselves (the desk does not allow it).
  await expect((await editor!.approval(KERRY)).getByRole("button", { name: "Approve" })).toBeDisabled();

  // Republishing now is refused, naming that claim alone.
  await publish.openDialog();
  await expect(publish.claimOption(KERRY)).not.toBeChecked();
  await publish.claimOption(KERRY).check();
  const correction = "We had rated Kerry's remark as Mixed; the full recording shows the claim is mostly false.";
  expect((await publish.submit({ correction })).status()).toBe(409);
  await expect(publish.heldBack).toHaveCount(1);
  await expect(publish.heldBack).toContainText(KERRY);
  await publish.dialog.getByRole("button", { name: "Cancel" }).click();

  // The second editor approves it again; the editor republishes with the correction.
  await second!.approve(KERRY, approver.name);
  const second_ = await publish.publish([KERRY, OIL], { correction });
  expect(second_).toBe(first + 1);

  // The public page shows the new verdict, the correction with what changed, and dateModified (to a
  // new reader: the first one's browser may keep the page it read for a minute).
  await readerContext.close();
  const laterContext = await browser.newContext();
  const later = new PublicPage(await laterContext.newPage());
  expect((await later.goto(publicHref)).status()).toBe(200);
  await expect(later.claim(KERRY)).toContainText("Verdict: Mostly false");
  await expect(later.corrections).toContainText(correction);
  await expect(later.corrections).toContainText("Mixed → Mostly false");
  const corrected = (await later.claimReviews()).find((r) => String(r.claimReviewed).includes(KERRY))!;
  expect(corrected.reviewRating).toMatchObject({ alternateName: "Mostly false" });
  expect(Date.parse(String(corrected.dateModified))).toBeGreaterThan(Date.parse(String(corrected.datePublished)));
  // The first version stays readable as it was.
  const firstPath = `${new URL(publicHref, "http://localhost").pathname}/v/${first}`;
  expect((await later.goto(firstPath)).status()).toBe(200);
  await expect(later.claim(KERRY)).toContainText("Verdict: Mixed");
  await expect(later.corrections).toHaveCount(0);

  await laterContext.close();

  // The desk's audit log and the article's history record the approvals and the publications.
  const ownerPage = await demoPage(browser, "owner");
  await ownerPage.goto("/desks/demo-desk/audit");
  const filters = ownerPage.getByRole("form", { name: "Filter the audit log" });
  const rows = ownerPage.getByRole("table", { name: "Audit log" }).getByTestId("audit-row");
  await filters.getByLabel("Action").selectOption({ label: "Approved a claim" });
  await expect(rows.filter({ hasText: approver.name }).filter({ hasText: "verdict: Mostly false" })).toHaveCount(1);
  await filters.getByLabel("Action").selectOption({ label: "Republished an article with a correction" });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(correction);
  await expect(rows).toContainText("Eduardo Editor");
  const history = new HistoryPage(ownerPage);
  await history.goto("demo-desk", articleId);
  await expect(history.timeline.getByTestId("revision-entry").filter({ hasText: "System: publication" })).toHaveCount(2);
  await expect(history.timeline.getByTestId("revision-entry").filter({ hasText: "System: approval" }).first()).toBeVisible();

  for (const page of [checkerPage, editorPage, approver.page, ownerPage]) await page.context().close();
});

/** A signed-up person in a browser context of their own. */
async function personPage(browser: Browser, label: string): Promise<{ page: Page; name: string }> {
  const page = await (await browser.newContext()).newPage();
  const person = newPerson(label);
  await signUpByApi(page.request, person);
  return { page, name: person.name };
}

test("the summary is written together live, also offline, and approving it is refused to the one who rated it", async ({ browser }) => {
  const [owner, checker, commenter] = await Promise.all([personPage(browser, "Owner"), personPage(browser, "Checker"), personPage(browser, "Commenter")]);
  const created = await owner.page.request.post("/api/teams", { data: { name: `Summary desk ${randomBytes(3).toString("hex")}` } });
  const { team } = (await created.json()) as { team: { slug: string } };
  for (const [person, role] of [
    [checker, "checker"],
    [commenter, "commenter"],
  ] as const) {
    const invite = await owner.page.request.post(`/api/teams/${team.slug}/invites`, { data: { role } });
    const { invite: link } = (await invite.json()) as { invite: { token: string } };
    expect((await person.page.request.post(`/api/invites/${link.token}/accept`)).status()).toBe(200);
  }
  const imported = await owner.page.request.post(`/api/teams/${team.slug}/articles`, {
    data: { title: "Unemployment", format: "text", content: "The minister said unemployment fell by 40 percent last year." },
  });
  const { article } = (await imported.json()) as { article: { id: string } };
  const views = [owner, checker, commenter].map(({ page }) => ({ page, article: new ArticlePage(page), summary: new SummaryPanel(page) }));
  for (const v of views) {
    await v.article.goto(team.slug, article.id);
    await v.article.waitUntilLive();
  }
  const [o, c, m] = views as [(typeof views)[0], (typeof views)[0], (typeof views)[0]];

  // The commenter reads the summary but cannot write it.
  await expect(m.summary.editor).toHaveAttribute("contenteditable", "false");
  await expect(m.summary.rating).toBeDisabled();
  await expect(m.summary.approval.getByRole("button")).toHaveCount(0);

  // The owner rates; the checker writes, goes offline, keeps writing and reloads while offline.
  await o.summary.setRating("Mostly false");
  await expect(c.summary.rating).toHaveValue("mostly-false");
  const online = `The figure counts only full-time jobs. ${randomBytes(2).toString("hex")}`;
  await c.summary.write(online);
  await expect.poll(() => o.summary.text()).toContain(online);
  await c.page.context().setOffline(true);
  await expect(c.article.status).toHaveAttribute("data-state", "offline");
  const offline = ` Offline ${randomBytes(2).toString("hex")}.`;
  const stored = await c.article.localUpdateCount("summary");
  await c.summary.write(offline);
  // Every keystroke is one update in IndexedDB; reload once the last one is on disk, as a person would.
  await expect.poll(() => c.article.localUpdateCount("summary")).toBeGreaterThanOrEqual(stored + offline.length);
  await c.page.reload();
  await expect(c.summary.editor).toBeVisible();
  await expect.poll(() => c.summary.text()).toContain(offline);
  expect(await o.summary.text()).not.toContain(offline);

  // Back online, the owner and the commenter get the offline words.
  await c.page.context().setOffline(false);
  await expect(c.article.status).toHaveAttribute("data-state", "connected");
  await expect.poll(() => o.summary.text()).toContain(offline);
  await expect.poll(() => m.summary.text()).toContain(offline);

  // The owner rated it, and the desk does not let authors approve their own: the button says why.
  const approve = o.summary.approval.getByRole("button", { name: "Approve" });
  await expect(approve).toBeDisabled();
  await expect(o.summary.approval).toContainText("You picked this rating; another editor approves it.");

  for (const v of views) await v.page.context().close();
});
