import { expect, type Page } from "@playwright/test";

/** The account page: password, sessions and personal API tokens. */
export class AccountPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/account");
    await expect(this.page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  }

  /** Opens the page from the header, as a person finds it. */
  async openFromHeader() {
    await this.page.getByRole("banner").getByRole("link", { name: "Account" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  }

  private get tokenForm() {
    return this.page.getByRole("form", { name: "Create an API token" });
  }

  /** Creates a token with the highest scope ticked and returns its secret, shown this once. */
  async createToken(name: string, scope: "Read" | "Write" | "Admin"): Promise<string> {
    await this.tokenForm.getByLabel("Token name").fill(name);
    await this.tokenForm.getByRole("checkbox", { name: new RegExp(`^${scope}\\b`) }).check();
    await this.tokenForm.getByRole("button", { name: "Create token" }).click();
    await expect(this.newTokenNotice).toContainText(name);
    return (await this.secret.textContent())!.trim();
  }

  /** The notice that shows a new token's secret. */
  get newTokenNotice() {
    return this.page.getByRole("region", { name: "New API token" });
  }

  get secret() {
    return this.page.getByTestId("api-token-secret");
  }

  tokenRow(name: string) {
    return this.page.getByRole("table", { name: "Your API tokens" }).getByTestId("api-token-row").filter({ hasText: name });
  }

  async revokeToken(name: string) {
    await this.tokenRow(name).getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(this.tokenRow(name)).toHaveCount(0);
  }

  async changePassword(current: string, next: string, confirm = next) {
    const form = this.page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password", { exact: true }).fill(next);
    await form.getByLabel("Confirm new password").fill(confirm);
    await form.getByRole("button", { name: "Change password" }).click();
  }

  get passwordChanged() {
    return this.page.getByRole("form", { name: "Change password" }).getByRole("status");
  }

  get passwordError() {
    return this.page.getByRole("form", { name: "Change password" }).getByRole("alert");
  }

  async signOutEverywhere() {
    await this.page.getByRole("button", { name: "Sign out everywhere" }).click();
  }
}
