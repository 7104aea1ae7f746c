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

  /** Picks a new role for a member and waits for the server's answer. */
  async changeRole(name: string, role: string) {
    const answered = this.page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().includes("/members/"));
    await this.memberRow(name).getByLabel(`Role of ${name}`).selectOption(role);
    return answered;
  }

  memberRow(name: string) {
    return this.page.getByTestId("member-row").filter({ hasText: name });
  }
}

/** An article: the server-rendered text, then the live shared editor. */
export class ArticlePage {
  constructor(private readonly page: Page) {}

  async goto(teamSlug: string, articleId: string) {
    await this.page.goto(`/desks/${teamSlug}/articles/${articleId}`);
  }

  get text() {
    return this.page.getByTestId("article-text");
  }

  get editor() {
    return this.page.getByTestId("article-editor");
  }

  get status() {
    return this.page.locator("[role=status][data-state]");
  }

  /** Waits until the live document is loaded and connected. */
  async waitUntilLive() {
    await expect(this.editor).toBeVisible();
    await expect(this.status).toHaveAttribute("data-state", "connected");
  }

  /** The editor's text without other people's caret labels, which live inside the editor's DOM. */
  async editorText(): Promise<string> {
    return this.editor.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
      return copy.textContent ?? "";
    });
  }

  /** Types at the end of the first paragraph. */
  async typeAtEndOfFirstParagraph(text: string) {
    await this.editor.locator("p").first().click();
    await this.page.keyboard.press("End");
    await this.editor.evaluate(() => {
      const p = document.querySelector("[data-testid=article-editor] p");
      const range = document.createRange();
      range.selectNodeContents(p!);
      range.collapse(false);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    await this.page.keyboard.type(text);
  }

  /** How many updates this browser has stored locally (IndexedDB) for one of the article's rooms (the text by default). */
  async localUpdateCount(room: "body" | "review" | "summary" = "body"): Promise<number> {
    return this.page.evaluate(async (suffix) => {
      const names = (await indexedDB.databases()).map((d) => d.name ?? "").filter((n) => n.endsWith(suffix));
      let total = 0;
      for (const name of names) {
        total += await new Promise<number>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const request = db.transaction("updates").objectStore("updates").count();
            request.onsuccess = () => {
              db.close();
              resolve(request.result);
            };
            request.onerror = () => reject(request.error);
          };
        });
      }
      return total;
    }, `/${room}`);
  }

  caretOf(name: string) {
    return this.editor.locator(".collaboration-carets__label", { hasText: name });
  }

  presence() {
    return this.page.getByRole("list", { name: "People here" }).getByTestId("presence-user");
  }

  /** The text of each paragraph of the live editor, in order, without caret labels. */
  async paragraphs(): Promise<string[]> {
    return this.editor.locator("p").evaluateAll((ps) =>
      ps.map((p) => {
        const copy = p.cloneNode(true) as HTMLElement;
        copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
        return copy.textContent ?? "";
      }),
    );
  }
}
