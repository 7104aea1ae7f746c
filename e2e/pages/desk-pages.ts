import { expect, type Page } from "@playwright/test";

/** The list of the user's desks, with the form that creates one. */
export class DesksPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/desks");
  }

  async createDesk(name: string) {
    const form = this.page.getByRole("form", { name: "Create a desk" });
    await form.getByLabel("Desk name").fill(name);
    await form.getByRole("button", { name: "Create desk" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  async openDesk(name: string) {
    await this.page.getByRole("navigation", { name: "Desks" }).getByRole("link", { name }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }
}

/** A desk's dashboard: its articles and the import button. */
export class DashboardPage {
  constructor(private readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/desks/${slug}`);
  }

  get importButton() {
    return this.page.getByRole("link", { name: "Import article" });
  }

  articleRow(title: string) {
    return this.page.getByTestId("article-row").filter({ hasText: title });
  }

  async openArticle(title: string) {
    await this.articleRow(title).getByRole("link", { name: title }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  }
}

/** The import form. */
export class ImportPage {
  constructor(private readonly page: Page) {}

  async importArticle(article: { title: string; format: "text" | "html"; content: string; sourceUrl?: string; publisher?: string; author?: string; publishedAt?: string }) {
    const form = this.page.getByRole("form", { name: "Import article" });
    await form.getByLabel("Title").fill(article.title);
    await form.getByLabel(article.format === "html" ? "HTML" : "plain text", { exact: true }).check();
    await form.getByLabel("Article text").fill(article.content);
    if (article.sourceUrl) await form.getByLabel("Source URL").fill(article.sourceUrl);
    if (article.publisher) await form.getByLabel("Publisher").fill(article.publisher);
    if (article.author) await form.getByLabel("Author").fill(article.author);
    if (article.publishedAt) await form.getByLabel("Publication date").fill(article.publishedAt);
    await form.getByRole("button", { name: "Import article" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: article.title })).toBeVisible();
  }
}

/** The members page with its invite panel. */
export class MembersPage {
  constructor(private readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/desks/${slug}/members`);
  }

  async createInvite(role: string): Promise<string> {
    const panel = this.page.getByRole("region", { name: "Invite people" });
    await panel.getByLabel("Role").selectOption(role);
    await panel.getByRole("button", { name: "Create invite link" }).click();
    const link = panel.getByTestId("invite-link");
    await expect(link).toContainText("/invite/");
    return (await link.textContent())!.trim();
  }

  /** An error shown on the page (Next's route announcer is an alert too, outside main). */
  get error() {
    return this.page.locator("main").getByRole("alert");
  }

  memberRow(name: string) {
    return this.page.getByTestId("member-row").filter({ hasText: name });
  }
}

/** The read-only article view. */
export class ArticlePage {
  constructor(private readonly page: Page) {}

  get text() {
    return this.page.getByTestId("article-text");
  }

  /** The text of each paragraph, in order. */
  async paragraphs(): Promise<string[]> {
    return this.text.locator("p").allTextContents();
  }
}
