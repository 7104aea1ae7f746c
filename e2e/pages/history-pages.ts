import { expect, type Locator, type Page } from "@playwright/test";

/** The history actions on an article page: the "History" link and "Save version…". */
export class ArticleHistoryActions {
  constructor(private readonly page: Page) {}

  get historyLink() {
    return this.page.getByRole("link", { name: "History", exact: true });
  }

  get saveButton() {
    return this.page.getByRole("button", { name: "Save version…" });
  }

  get dialog() {
    return this.page.getByRole("dialog", { name: "Save a version" });
  }

  /** Saves a named version through the dialog; returns its number. */
  async saveVersion(label: string): Promise<number> {
    await this.saveButton.click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel("Name").fill(label);
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && /\/api\/articles\/[^/]+\/revisions$/.test(r.url()));
    await this.dialog.getByRole("button", { name: "Save version" }).click();
    const res = await answered;
    expect(res.status()).toBe(201);
    await expect(this.dialog).toBeHidden();
    const { revision } = (await res.json()) as { revision: { number: number } };
    await expect(this.page.getByRole("status").filter({ hasText: `version #${revision.number}` })).toBeVisible();
    return revision.number;
  }

  async openHistory() {
    await this.historyLink.click();
    await expect(this.page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
  }
}

/** An article's history: the timeline, the selected version, the comparison and the restore. */
export class HistoryPage {
  constructor(private readonly page: Page) {}

  async goto(teamSlug: string, articleId: string) {
    await this.page.goto(`/desks/${teamSlug}/articles/${articleId}/history`);
  }

  get timeline() {
    return this.page.getByRole("navigation", { name: "Versions" });
  }

  /** A timeline entry by its number, or "current". */
  entry(ref: number | "current"): Locator {
    return this.timeline.locator(`[data-testid=revision-entry][data-revision="${ref}"]`);
  }

  /** Selects a version in the timeline and waits until it is the one shown. */
  async select(ref: number | "current") {
    await this.entry(ref).click();
    await expect(this.entry(ref)).toHaveAttribute("aria-current", "true");
    await expect(this.page.getByTestId("selected-version")).toHaveText(ref === "current" ? "Current version" : `Version #${ref}`);
  }

  get main() {
    return this.page.getByRole("region", { name: "Selected version" });
  }

  /** The read-only text of the selected version. */
  get text() {
    return this.page.getByTestId("revision-text");
  }

  async showCompare() {
    await this.main.getByRole("button", { name: "Compare" }).click();
  }

  /** Picks the two versions to compare (by number, or "current") and waits for the comparison. */
  async compare(from: number | "current", to: number | "current") {
    const answered = this.page.waitForResponse((r) => r.url().includes(`/revisions/compare?from=${from}&to=${to}`) && r.ok());
    await this.showCompare();
    const form = this.page.getByRole("form", { name: "Versions to compare" });
    await form.getByLabel("From").selectOption(String(from));
    await form.getByLabel("To").selectOption(String(to));
    await answered;
    await expect(this.page.getByTestId("compare-stats")).toBeVisible();
  }

  /** The compared text's paragraphs that are wholly gone. */
  get deletedParagraphs() {
    return this.page.getByTestId("diff-text").locator("p[data-status=deleted]");
  }

  get insertions() {
    return this.page.getByTestId("diff-text").locator("ins");
  }

  get deletions() {
    return this.page.getByTestId("diff-text").locator("del");
  }

  get annotationChanges() {
    return this.page.getByRole("list", { name: "Annotation changes" }).getByRole("listitem");
  }

  /** Restores the selected version, through its confirmation, and waits to be back on the article. */
  async restoreSelected(number: number) {
    await this.main.getByRole("button", { name: "Restore this version" }).click();
    const confirm = this.page.getByRole("alertdialog", { name: `Restore version #${number}?` });
    await expect(confirm).toBeVisible();
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/revisions/${number}/restore`));
    await confirm.getByRole("button", { name: `Restore version #${number}` }).click();
    expect((await answered).status()).toBe(200);
    await this.page.waitForURL((url) => /\/articles\/[^/]+$/.test(url.pathname));
  }
}
