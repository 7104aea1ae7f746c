import { expect, test } from "@playwright/test";
import { newPerson } from "./support/accounts";
import { SignUpPage } from "./pages/auth-pages";
import { ArticlePage, DashboardPage, DesksPage, ImportPage } from "./pages/desk-pages";

test("a new user signs up, creates a desk, imports an article and sees it on the dashboard", async ({ page }) => {
  const person = newPerson("Newcomer");
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(person);
  await expect(page).toHaveURL(/\/desks$/);
  await expect(page.getByTestId("current-user")).toHaveText(person.name);

  const desks = new DesksPage(page);
  const deskName = `Election Desk ${person.email.slice(10, 18)}`;
  await desks.createDesk(deskName);
  await expect(page.getByText("No articles yet.")).toBeVisible();

  const dashboard = new DashboardPage(page);
  await dashboard.importButton.click();
  const title = "Mayor says crime fell 40% last year";
  await new ImportPage(page).importArticle({
    title,
    format: "html",
    content:
      '<h1>City news</h1><p onclick="alert(1)">Crime <strong>fell</strong> by 40%, the mayor said.</p>' +
      '<script>window.__pwned = true</script><p><a href="javascript:alert(2)">click</a> <a href="https://example.org/stats">stats</a></p>',
    sourceUrl: "https://example.org/news/crime",
    publisher: "Example Gazette",
    author: "Jo Reporter",
    publishedAt: "2026-11-20",
  });

  const article = new ArticlePage(page);
  await article.waitUntilLive();
  await expect(article.editor.getByRole("heading", { level: 2, name: "City news" })).toBeVisible();
  await expect(article.editor.locator("strong")).toHaveText("fell");
  await expect(article.editor.getByRole("link", { name: "stats" })).toHaveAttribute("href", "https://example.org/stats");
  await expect(article.editor.getByText("click")).toBeVisible();
  expect(await article.editor.locator("[onclick], script, a[href^='javascript']").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  await expect(page.getByText("By Jo Reporter")).toBeVisible();

  await page.getByRole("link", { name: deskName }).click();
  const row = dashboard.articleRow(title);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Example Gazette");
  await expect(row).toContainText("just now");
  // Opening the article made the newcomer someone "working on it".
  await expect(row.getByLabel(`Working on it: ${person.name}`)).toBeVisible();
});
