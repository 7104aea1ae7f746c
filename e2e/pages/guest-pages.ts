import { expect, type Page } from "@playwright/test";

/** The owner's "Guests" control on an article page: invite an outside expert, list and revoke guests. */
export class GuestsPanel {
  constructor(private readonly page: Page) {}

  get toggle() {
    return this.page.getByRole("button", { name: "Guests", exact: true });
  }

  get panel() {
    return this.page.getByRole("region", { name: "Guests of this article" });
  }

  /** Opens the panel (closing it first if it is open, so its lists are loaded afresh). */
  async open() {
    if ((await this.toggle.getAttribute("aria-expanded")) === "true") await this.toggle.click();
    await this.toggle.click();
    await expect(this.panel).toBeVisible();
  }

  /** Creates a guest link with a role ("commenter" or "viewer") and returns it as shown, once. */
  async createLink(role: "commenter" | "viewer"): Promise<string> {
    const form = this.panel.getByRole("form", { name: "Invite a guest" });
    await form.getByLabel("Role").selectOption(role);
    await expect(form.getByLabel("Access until")).not.toHaveValue("");
    await form.getByRole("button", { name: "Create guest link" }).click();
    const link = this.panel.getByTestId("guest-link");
    await expect(link).toContainText("/guest/");
    return (await link.textContent())!.trim();
  }

  guestRow(name: string) {
    return this.panel.getByTestId("guest-row").filter({ hasText: name });
  }

  /** Revokes a guest's access and waits until they are off the list. */
  async revoke(name: string) {
    await this.guestRow(name).getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(this.guestRow(name)).toHaveCount(0);
  }
}

/** Where a guest link lands: what it offers, and "Accept". */
export class GuestInvitePage {
  constructor(private readonly page: Page) {}

  /** Opens a guest link on the server under test (the link names the app's own origin, which may be spelled differently). */
  async goto(link: string) {
    await this.page.goto(new URL(link).pathname);
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  /** Accepts the invitation and waits for the article it is for. */
  async accept(articleTitle: string) {
    await this.page.getByRole("button", { name: "Accept and open the article" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: articleTitle })).toBeVisible();
  }
}

/** The "Shared with you" list on /desks. */
export class SharedWithYou {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/desks");
  }

  article(title: string) {
    return this.page.getByRole("list", { name: "Shared with you" }).getByTestId("shared-article").filter({ hasText: title });
  }
}
