import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, signInByApi } from "./support/accounts";
import { ArticlePage } from "./pages/desk-pages";

async function demoArticleId(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/teams/demo-desk/articles");
  const { articles } = (await res.json()) as { articles: { id: string; title: string }[] };
  return articles.find((a) => a.title.startsWith("Russia: US pretends"))!.id;
}

test("an editor and a checker work on the demo article live, through a dropped connection", async ({ browser }) => {
  const editorContext = await browser.newContext();
  const checkerContext = await browser.newContext();
  const editorPage = await editorContext.newPage();
  const checkerPage = await checkerContext.newPage();
  await signInByApi(editorPage.request, demoUser("editor"));
  await signInByApi(checkerPage.request, demoUser("checker"));
  const articleId = await demoArticleId(editorPage.request);

  const editor = new ArticlePage(editorPage);
  const checker = new ArticlePage(checkerPage);
  await editor.goto("demo-desk", articleId);
  await checker.goto("demo-desk", articleId);
  await editor.waitUntilLive();
  await checker.waitUntilLive();

  // Both see who is here; the checker is read-only, for the UI and for the keyboard.
  await expect(editor.presence().filter({ hasText: "Chioma Checker" })).toContainText("read-only");
  await expect(checker.presence().filter({ hasText: "Eduardo Editor" })).toBeVisible();
  await expect(checker.editor).toHaveAttribute("contenteditable", "false");
  await expect(checkerPage.getByRole("toolbar", { name: "Formatting" })).toHaveCount(0);
  const before = await checker.editorText();
  await checker.editor.click();
  await checkerPage.keyboard.type("checker was here");
  expect(await checker.editorText()).toBe(before);

  // The editor types; the checker sees the text and the editor's caret.
  const live = ` [live ${randomBytes(3).toString("hex")}]`;
  await editor.typeAtEndOfFirstParagraph(live);
  await expect.poll(() => checker.editorText()).toContain(live);
  await expect(checker.caretOf("Eduardo Editor")).toBeVisible();

  // The editor loses the network, keeps typing, and reloads the tab while still offline.
  await editorContext.setOffline(true);
  await expect(editor.status).toHaveAttribute("data-state", "offline");
  const offline = ` [offline ${randomBytes(3).toString("hex")}]`;
  const stored = await editor.localUpdateCount();
  await editor.typeAtEndOfFirstParagraph(offline);
  // Every keystroke is one update in IndexedDB; reload once the last one is on disk, as a person would.
  await expect.poll(() => editor.localUpdateCount()).toBeGreaterThanOrEqual(stored + offline.length);
  await editorPage.reload();
  await expect(editor.editor).toBeVisible();
  await expect.poll(() => editor.editorText()).toContain(offline);
  await expect(editor.status).toHaveAttribute("data-state", "offline");
  expect(await checker.editorText()).not.toContain(offline);

  // Back online, the offline work reaches the checker.
  await editorContext.setOffline(false);
  await expect(editor.status).toHaveAttribute("data-state", "connected");
  await expect.poll(() => checker.editorText()).toContain(offline);
  expect(await checker.editorText()).toContain(live);

  await editorContext.close();
  await checkerContext.close();
});
