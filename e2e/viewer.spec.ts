import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { demoUser, signInByApi } from "./support/accounts";
import { SignInPage } from "./pages/auth-pages";
import { ArticlePage, DashboardPage, DesksPage } from "./pages/desk-pages";

const demo = readFileSync("db/seed/demo-article.txt", "utf8");
const demoTitle = demo.slice(0, demo.indexOf("\n")).trim();
const demoParagraphs = demo
  .slice(demo.indexOf("\n") + 1)
  .split(/\n\s*\n/)
  .map((p) => p.trim())
  .filter(Boolean);

test("the demo viewer sees the demo article word for word, with no way to import", async ({ page }) => {
  await signInByApi(page.request, demoUser("viewer"));
  const desks = new DesksPage(page);
  await desks.goto();
  await desks.openDesk("Demo Desk");

  const dashboard = new DashboardPage(page);
  await expect(dashboard.articleRow(demoTitle)).toBeVisible();
  await expect(dashboard.importButton).toHaveCount(0);

  await dashboard.openArticle(demoTitle);
  const article = new ArticlePage(page);
  // Without JavaScript's help the server already renders the text; then the live editor takes over.
  await article.waitUntilLive();
  await expect(article.editor).toHaveAttribute("contenteditable", "false");
  // The collaboration spec may have appended text to a paragraph meanwhile; every word of the article stays.
  const paragraphs = await article.paragraphs();
  expect(paragraphs).toHaveLength(demoParagraphs.length);
  demoParagraphs.forEach((expected, i) => expect(paragraphs[i]).toContain(expected));

  // Nor by typing the address, nor through the API.
  const importPage = await page.goto("/desks/demo-desk/import");
  expect(importPage?.status()).toBe(404);
  const api = await page.request.post("/api/teams/demo-desk/articles", {
    data: { title: "Sneaky", format: "text", content: "Nope" },
  });
  expect(api.status()).toBe(403);
  expect((await api.json()).error.code).toBe("forbidden");
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn({ email: "viewer@demo.factdesk.test", password: "not-the-password" });
  await expect(signIn.error).toHaveText("That email and password do not match.");
  await expect(page).toHaveURL(/\/signin/);
});
