import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";
import { demoArticleId, demoPage } from "./support/demo";
import { ArticlePage } from "./pages/desk-pages";
import { GuestInvitePage, GuestsPanel, SharedWithYou } from "./pages/guest-pages";
import { ReviewPanel } from "./pages/review-panel";

const demo = readFileSync("db/seed/demo-article.txt", "utf8");
const demoTitle = demo.slice(0, demo.indexOf("\n")).trim();
// A passage of the demo article that the other demo specs neither flag nor delete.
const PASSAGE = "Hezbollah leader Hassan Nasrallah";

/** A new person, signed up through the API in a browser context of their own. */
async function newGuest(browser: Browser): Promise<{ page: Page; name: string }> {
  const page = await (await browser.newContext()).newPage();
  const person = newPerson("Expert");
  await signUpByApi(page.request, person);
  return { page, name: person.name };
}

/** The demo owner on the demo article, live. */
async function ownerOnDemoArticle(browser: Browser): Promise<{ page: Page; articleId: string }> {
  const page = await demoPage(browser, "owner");
  const articleId = await demoArticleId(page.request);
  const article = new ArticlePage(page);
  await article.goto("demo-desk", articleId);
  await article.waitUntilLive();
  return { page, articleId };
}

test("an owner invites an outside expert to the demo article; the guest comments on it and sees nothing else of the desk", async ({ browser }) => {
  const owner = await ownerOnDemoArticle(browser);
  const guests = new GuestsPanel(owner.page);
  await guests.open();
  const link = await guests.createLink("commenter");

  const guest = await newGuest(browser);
  const landing = new GuestInvitePage(guest.page);
  await landing.goto(link);
  await expect(landing.heading).toHaveText("You are invited to review an article");
  await expect(guest.page.getByText(demoTitle)).toBeVisible();
  await landing.accept(demoTitle);

  const article = new ArticlePage(guest.page);
  await article.waitUntilLive();
  await expect(guest.page.locator(".article-meta")).toContainText("Guest");
  // Nothing of the desk around the article: no way to the desk, its history or publishing.
  await expect(guest.page.getByRole("link", { name: "Demo Desk" })).toHaveCount(0);
  await expect(guest.page.getByRole("link", { name: "History" })).toHaveCount(0);
  await expect(guest.page.getByRole("group", { name: "Publication" })).toHaveCount(0);
  await expect(guest.page.getByRole("button", { name: "Guests", exact: true })).toHaveCount(0);

  // The guest comments on a passage, and the owner sees it live.
  const review = new ReviewPanel(guest.page);
  const note = `An outside expert's note ${randomBytes(3).toString("hex")}`;
  await review.selectText(PASSAGE);
  await review.selectionMenu.getByRole("button", { name: "Comment" }).click();
  const newComment = guest.page.getByRole("region", { name: "New comment" });
  await newComment.getByRole("combobox").fill(note);
  await newComment.getByRole("button", { name: "Comment" }).click();
  await expect(review.thread(PASSAGE).filter({ hasText: note })).toBeVisible();
  await expect(await new ReviewPanel(owner.page).open(PASSAGE)).toContainText(note);

  // The owner now lists the guest, and the used link is gone for anyone else.
  await guests.open();
  await expect(guests.guestRow(guest.name)).toContainText("Commenter");
  const stranger = await newGuest(browser);
  await new GuestInvitePage(stranger.page).goto(link);
  await expect(stranger.page.getByRole("heading", { level: 1 })).toHaveText("This guest link no longer works");
  await stranger.page.context().close();

  // The article is listed as shared with the guest; the desk's pages answer 404.
  const shared = new SharedWithYou(guest.page);
  await shared.goto();
  await expect(shared.article(demoTitle)).toContainText("Demo Desk");
  await expect(shared.article(demoTitle)).toContainText("Commenter");
  for (const path of ["/desks/demo-desk", "/desks/demo-desk/members", `/desks/demo-desk/articles/${owner.articleId}/history`]) {
    const res = await guest.page.goto(path);
    expect(res?.status(), path).toBe(404);
  }

  await guest.page.context().close();
  await owner.page.context().close();
});

test("an owner revokes a guest, and the guest's open article says so without a reload", async ({ browser }) => {
  const owner = await ownerOnDemoArticle(browser);
  const created = await owner.page.request.post(`/api/articles/${owner.articleId}/guests`, {
    data: { role: "viewer", accessExpiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  expect(created.status()).toBe(201);
  const { invite } = (await created.json()) as { invite: { url: string } };

  const guest = await newGuest(browser);
  const landing = new GuestInvitePage(guest.page);
  await landing.goto(invite.url);
  await landing.accept(demoTitle);
  const article = new ArticlePage(guest.page);
  await article.waitUntilLive();
  await expect(article.editor).toHaveAttribute("contenteditable", "false");

  const guests = new GuestsPanel(owner.page);
  await guests.open();
  await expect(guests.guestRow(guest.name)).toContainText("Viewer");
  await guests.revoke(guest.name);

  // The collaboration server closes the guest's connection; the page stops and says why.
  await expect(article.status).toHaveAttribute("data-state", "stopped");
  await expect(article.status).toHaveText("You no longer have access to this article.");
  const reload = await guest.page.reload();
  expect(reload?.status()).toBe(404);

  await guest.page.context().close();
  await owner.page.context().close();
});
