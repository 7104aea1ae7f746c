import { expect, type Page } from "@playwright/test";

/** The review sidebar and the annotation actions on an article page. */
export class ReviewPanel {
  constructor(private readonly page: Page) {}

  get panel() {
    return this.page.getByRole("complementary", { name: "Review" });
  }

  /** Selects the first occurrence of `phrase` in the article editor, as a mouse selection would (for people who may annotate). */
  async selectText(phrase: string) {
    await this.page.getByTestId("article-editor").evaluate((root, text) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`"${text}" is not in the article`);
    }, phrase);
    // The menu appears once the editor has taken up the selection; only then may keys act on it.
    await expect(this.selectionMenu).toBeVisible();
  }

  get selectionMenu() {
    return this.page.getByRole("toolbar", { name: "Annotate selection" });
  }

  async flagClaim(phrase: string) {
    await this.selectText(phrase);
    await this.selectionMenu.getByRole("button", { name: "Flag claim" }).click();
    await expect(this.thread(phrase)).toBeVisible();
  }

  thread(quote: string) {
    return this.panel.getByTestId("thread").filter({ hasText: quote });
  }

  /** Opens a thread's details (idempotent). */
  async open(quote: string) {
    const card = this.thread(quote);
    const toggle = card.locator(".thread-quote");
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    return card;
  }

  async addEvidence(quote: string, evidence: { url: string; title: string; publisher: string; stance: "Supports" | "Refutes" | "Adds context"; note: string }) {
    const card = await this.open(quote);
    await card.getByRole("button", { name: "+ Add evidence" }).click();
    const form = card.getByRole("form", { name: "Add evidence" });
    await form.getByLabel("URL").fill(evidence.url);
    await form.getByLabel("Title").fill(evidence.title);
    await form.getByLabel("Publisher").fill(evidence.publisher);
    await form.getByLabel(evidence.stance, { exact: true }).check();
    await form.getByLabel("Note").fill(evidence.note);
    await form.getByRole("button", { name: "Add evidence" }).click();
  }

  async reply(quote: string, text: string) {
    const card = await this.open(quote);
    await card.getByRole("combobox", { name: /Reply|Write the first message/ }).fill(text);
    await card.getByRole("button", { name: /^(Reply|Comment)$/ }).click();
  }

  async setVerdict(quote: string, label: string) {
    const card = await this.open(quote);
    await card.getByLabel("Verdict").selectOption({ label });
  }

  /** Moves a claim through its workflow by hand ("Open", "Researching", "In review"). */
  async setState(quote: string, label: string) {
    const card = await this.open(quote);
    await card.getByLabel("State").selectOption({ label });
  }

  /** Writes a claim's rationale; it reaches the document when the field loses focus. */
  async setRationale(quote: string, text: string) {
    const card = await this.open(quote);
    const field = card.getByLabel("Rationale");
    await field.fill(text);
    await field.blur();
  }

  /** A claim's approval gate: its status line and buttons. */
  async approval(quote: string) {
    return (await this.open(quote)).getByTestId("approval");
  }

  /** Approves a claim and waits until the card says so. */
  async approve(quote: string, approverName: string) {
    const gate = await this.approval(quote);
    await gate.getByRole("button", { name: "Approve" }).click();
    await expect(gate).toHaveAttribute("data-status", "approved");
    await expect(gate).toContainText(`Approved by ${approverName}`);
  }

  /** Sends a claim back with a comment; the comment lands in its thread. */
  async sendBack(quote: string, comment: string) {
    const card = await this.open(quote);
    await card.getByTestId("approval").getByRole("button", { name: "Send back…" }).click();
    const form = card.getByRole("form", { name: "Send the claim back" });
    await form.getByLabel("What needs another look?").fill(comment);
    await form.getByRole("button", { name: "Send back" }).click();
    await expect(card.getByTestId("message").filter({ hasText: comment })).toBeVisible();
  }

  /** The workflow state shown on a claim's card ("In review", "Approved", …). */
  claimState(quote: string) {
    return this.thread(quote).getByTestId("claim-state");
  }

  /** The highlight of a thread in the article, by the thread card's id. */
  async highlightColour(quote: string): Promise<string> {
    const id = await this.thread(quote).getAttribute("data-thread-id");
    const mark = this.page.locator(`[data-testid=article-editor] [data-thread-id="${id}"]`).first();
    await expect(mark).toBeVisible();
    return mark.evaluate((el) => getComputedStyle(el).getPropertyValue("--hl").trim());
  }

  get orphaned() {
    return this.panel.getByRole("region", { name: "Orphaned" });
  }
}
