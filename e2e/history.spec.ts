import { expect, test, type Browser, type Page } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";
import { ArticlePage } from "./pages/desk-pages";
import { ArticleHistoryActions, HistoryPage } from "./pages/history-pages";
import { ReviewPanel } from "./pages/review-panel";

const CLAIM = "More than 16,000 foreign terrorist fighters";
const PARAGRAPHS = [
  "The minister said unemployment fell by 40 percent last year.",
  "Critics pointed out that the figure counts only full-time jobs.",
  `${CLAIM} from more than 90 countries travelled to the region.`,
];
const DOOMED = PARAGRAPHS[1]!;

/** A signed-up person in a browser context of their own. */
async function personPage(browser: Browser, label: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUpByApi(page.request, newPerson(label));
  return page;
}

/** An owner's desk with an article, and an editor and a checker who joined it by invite links. */
async function seedDesk(browser: Browser) {
  const [owner, editor, checker] = await Promise.all([personPage(browser, "Owner"), personPage(browser, "Editor"), personPage(browser, "Checker")]);
  const created = await owner.request.post("/api/teams", { data: { name: `History desk ${Date.now()}` } });
  expect(created.status()).toBe(201);
  const { team } = (await created.json()) as { team: { slug: string } };
  for (const [page, role] of [
    [editor, "editor"],
    [checker, "checker"],
  ] as const) {
    const invite = await owner.request.post(`/api/teams/${team.slug}/invites`, { data: { role } });
    const { invite: link } = (await invite.json()) as { invite: { token: string } };
    expect((await page.request.post(`/api/invites/${link.token}/accept`)).status()).toBe(200);
  }
  const imported = await editor.request.post(`/api/teams/${team.slug}/articles`, {
    data: { title: "Jobs and fighters", format: "text", content: PARAGRAPHS.join("\n\n") },
  });
  expect(imported.status()).toBe(201);
  const { article } = (await imported.json()) as { article: { id: string } };
  await owner.context().close();
  return { teamSlug: team.slug, articleId: article.id, editor, checker };
}

test("an editor saves a named version, changes things, compares and restores it; a checker sees the text come back live", async ({ browser }) => {
  const { teamSlug, articleId, editor: editorPage, checker: checkerPage } = await seedDesk(browser);
  const editor = new ArticlePage(editorPage);
  const checker = new ArticlePage(checkerPage);
  await editor.goto(teamSlug, articleId);
  await checker.goto(teamSlug, articleId);
  await editor.waitUntilLive();
  await checker.waitUntilLive();
  const editorReview = new ReviewPanel(editorPage);
  const checkerReview = new ReviewPanel(checkerPage);

  // The editor makes changes: a claim with a verdict, and a few words.
  await editorReview.flagClaim(CLAIM);
  await editorReview.setVerdict(CLAIM, "False");
  await editor.typeAtEndOfFirstParagraph(" (seasonally adjusted)");
  await expect(checkerReview.thread(CLAIM)).toContainText("False");
  await expect.poll(() => checker.paragraphs()).toContain(`${PARAGRAPHS[0]} (seasonally adjusted)`);

  // Saves a named version, then changes the verdict and deletes a paragraph.
  const actions = new ArticleHistoryActions(editorPage);
  const named = await actions.saveVersion("Before the cuts");
  await editorReview.setVerdict(CLAIM, "Mostly true");
  await editorReview.selectText(DOOMED);
  await editorPage.keyboard.press("Backspace");
  await editorPage.keyboard.press("Backspace");
  await expect.poll(() => editor.paragraphs()).toHaveLength(2);
  // The checker seeing both changes means the server has them.
  await expect.poll(() => checker.paragraphs()).not.toContain(DOOMED);
  await expect(checkerReview.thread(CLAIM)).toContainText("Mostly true");

  // In History, the named version compared with the current one shows the deletion and the verdict change.
  await actions.openHistory();
  const history = new HistoryPage(editorPage);
  await expect(history.entry(named)).toContainText("Named “Before the cuts”");
  await history.select(named);
  await expect(history.text).toContainText(DOOMED);
  await history.compare(named, "current");
  await expect(history.deletedParagraphs).toHaveCount(1);
  await expect(history.deletedParagraphs.locator("del")).toHaveText(DOOMED);
  await expect(history.deletions.first()).toHaveAttribute("title", /^Deleted by Editor /);
  await expect(history.annotationChanges.filter({ hasText: "Verdict of" })).toHaveText(`Verdict of “${CLAIM}” changed from False to Mostly true`);

  // Restoring the named version takes the editor back to the article; the checker, who never
  // reloaded, sees the paragraph and the verdict come back.
  await history.restoreSelected(named);
  await editor.waitUntilLive();
  await expect.poll(() => editor.paragraphs()).toContain(DOOMED);
  await expect.poll(() => checker.paragraphs(), { timeout: 15_000 }).toEqual([`${PARAGRAPHS[0]} (seasonally adjusted)`, ...PARAGRAPHS.slice(1)]);
  await expect(checkerReview.thread(CLAIM)).toContainText("False");

  await editorPage.context().close();
  await checkerPage.context().close();
});
