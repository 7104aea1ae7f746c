import { expect, type Page, type Response } from "@playwright/test";

/** The desk's settings page: the verdict scale and the approval rule. */
export class DeskSettingsPage {
  constructor(private readonly page: Page) {}

  async goto(teamSlug: string) {
    await this.page.goto(`/desks/${teamSlug}/settings`);
  }

  get selfApproval() {
    return this.page.getByRole("region", { name: "Approval" }).getByRole("switch", { name: "Authors may approve their own verdicts" });
  }

  /** Turns "Authors may approve their own verdicts" on or off and waits for the server to keep it. */
  async setSelfApproval(on: boolean) {
    if ((await this.selfApproval.isChecked()) === on) return;
    const saved = this.page.waitForResponse((r) => r.request().method() === "PUT" && r.url().endsWith("/settings"));
    await this.selfApproval.click();
    expect((await saved).status()).toBe(200);
    await expect(this.selfApproval).toBeChecked({ checked: on });
    await expect(this.page.getByRole("region", { name: "Approval" }).getByRole("status")).toContainText("Saved");
  }
}

/** The desk's summary of an article on the article page: the write-up, the takeaway, the rating and its approval. */
export class SummaryPanel {
  constructor(private readonly page: Page) {}

  get panel() {
    return this.page.getByTestId("summary-panel");
  }

  get editor() {
    return this.page.getByTestId("summary-editor");
  }

  get rating() {
    return this.panel.getByLabel("Overall rating");
  }

  get takeaway() {
    return this.panel.getByLabel("Key takeaway");
  }

  get approval() {
    return this.panel.getByTestId("approval");
  }

  /** Types into the write-up at its end. */
  async write(text: string) {
    await this.editor.click();
    await this.page.keyboard.press("ControlOrMeta+End");
    await this.page.keyboard.type(text);
  }

  /** The write-up's text without other people's caret labels. */
  async text(): Promise<string> {
    return this.editor.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
      return copy.textContent ?? "";
    });
  }

  async setRating(label: string) {
    await this.rating.selectOption({ label });
  }

  /** Writes the key takeaway; it reaches the document when the field loses focus. */
  async setTakeaway(text: string) {
    await this.takeaway.fill(text);
    await this.takeaway.blur();
  }

  async approve(approverName: string) {
    await this.approval.getByRole("button", { name: "Approve" }).click();
    await expect(this.approval).toHaveAttribute("data-status", "approved");
    await expect(this.approval).toContainText(`Approved by ${approverName}`);
  }
}

/** The publication controls on an article page: status, public link, exports, Publish… and Unpublish…. */
export class PublishControls {
  constructor(private readonly page: Page) {}

  get group() {
    return this.page.getByRole("group", { name: "Publication" });
  }

  get state() {
    return this.group.getByTestId("publication-state");
  }

  get publicLink() {
    return this.group.getByRole("link", { name: "Public page" });
  }

  get publishButton() {
    return this.group.getByRole("button", { name: /^(Publish|Republish)…$/ });
  }

  get dialog() {
    return this.page.getByRole("dialog", { name: /^(Publish the article|Republish with a correction)$/ });
  }

  /** A claim's checkbox in the open Publish dialog, by a part of its quote. */
  claimOption(quote: string) {
    return this.dialog.getByTestId("publish-claim").filter({ hasText: quote }).getByRole("checkbox");
  }

  /** The claims the server named as holding the publication back. */
  get heldBack() {
    return this.dialog.getByRole("list", { name: "Not approved" }).getByRole("listitem");
  }

  /** Opens the Publish… dialog. */
  async openDialog() {
    await this.publishButton.click();
    await expect(this.dialog).toBeVisible();
  }

  /**
   * Submits the open Publish dialog (with a correction note when republishing) and returns the
   * server's answer; on success waits for the dialog to close.
   */
  async submit(options: { correction?: string } = {}): Promise<Response> {
    if (options.correction !== undefined) await this.dialog.getByLabel("Correction note").fill(options.correction);
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && /\/api\/articles\/[^/]+\/publications$/.test(r.url()));
    await this.dialog.getByRole("button", { name: /^(Publish|Republish)$/ }).click();
    const res = await answered;
    if (res.ok()) await expect(this.dialog).toBeHidden();
    return res;
  }

  /** Publishes with the given claims public (by quote), through the dialog (opened unless it is); returns the publication's number. */
  async publish(claims: string[], options: { correction?: string } = {}): Promise<number> {
    if (!(await this.dialog.isVisible())) await this.openDialog();
    for (const quote of claims) await this.claimOption(quote).check();
    const res = await this.submit(options);
    expect(res.status()).toBe(201);
    const { publication } = (await res.json()) as { publication: { number: number } };
    await expect(this.state).toContainText(`Published #${publication.number}`);
    return publication.number;
  }

  /** Unpublishes with a reason. */
  async unpublish(reason: string) {
    await this.group.getByRole("button", { name: "Unpublish…" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Unpublish the article" });
    await dialog.getByLabel("Reason").fill(reason);
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/unpublish"));
    await dialog.getByRole("button", { name: "Unpublish" }).click();
    expect((await answered).ok()).toBeTruthy();
    await expect(this.state).toContainText("Unpublished");
  }

  /** The address of an export, from its link in the Export menu. */
  async exportHref(label: RegExp | string): Promise<string> {
    const menu = this.group.locator("details.export-menu");
    if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
    return (await menu.getByRole("link", { name: label }).getAttribute("href"))!;
  }
}

/** The public page of a published article, as anyone sees it without signing in. */
export class PublicPage {
  constructor(private readonly page: Page) {}

  /** Opens a public address (path or absolute URL, read against the test server) and returns the response. */
  async goto(href: string): Promise<Response> {
    const res = await this.page.goto(new URL(href, "http://localhost").pathname);
    return res!;
  }

  get summary() {
    return this.page.getByRole("region", { name: "Our verdict on this article" });
  }

  get tableOfClaims() {
    return this.page.getByRole("navigation", { name: /^Claims checked/ });
  }

  get findings() {
    return this.page.getByRole("region", { name: "Our findings" });
  }

  /** A claim's review (verdict, rationale, evidence, credits), by a part of its quote. */
  claim(quote: string) {
    return this.findings.getByRole("article").filter({ hasText: quote });
  }

  get corrections() {
    return this.page.getByRole("region", { name: "Corrections" });
  }

  get methodology() {
    return this.page.getByRole("region", { name: "How we rate claims" });
  }

  /** Every JSON-LD block of the page, parsed. */
  async jsonLd(): Promise<Record<string, unknown>[]> {
    const texts = await this.page.locator('script[type="application/ld+json"]').allTextContents();
    return texts.map((t) => JSON.parse(t) as Record<string, unknown>);
  }

  /** The ClaimReview blocks of the page. */
  async claimReviews(): Promise<Record<string, unknown>[]> {
    const blocks = (await this.jsonLd()).flatMap((b) => (Array.isArray(b["@graph"]) ? (b["@graph"] as Record<string, unknown>[]) : [b]));
    return blocks.filter((b) => b["@type"] === "ClaimReview");
  }
}
