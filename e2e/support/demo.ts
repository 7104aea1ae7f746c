import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { demoUser, signInByApi } from "./accounts";

/** The id of the seeded demo article. */
export async function demoArticleId(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/teams/demo-desk/articles");
  const { articles } = (await res.json()) as { articles: { id: string; title: string }[] };
  const article = articles.find((a) => a.title.startsWith("Russia: US pretends"));
  if (!article) throw new Error("the demo article is missing");
  return article.id;
}

/** A fresh browser context signed in as a demo user. */
export async function demoPage(browser: Browser, role: Parameters<typeof demoUser>[0]): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInByApi(page.request, demoUser(role));
  return page;
}
