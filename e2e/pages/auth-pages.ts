import type { Page } from "@playwright/test";

/** The sign-up form. */
export class SignUpPage {
  constructor(private readonly page: Page) {}

  async goto(callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup");
  }

  async signUp(person: { name: string; email: string; password: string }) {
    const form = this.page.getByRole("form", { name: "Create account" });
    await form.getByLabel("Name").fill(person.name);
    await form.getByLabel("Email").fill(person.email);
    await form.getByLabel("Password").fill(person.password);
    await form.getByRole("button", { name: "Create account" }).click();
  }
}

/** The sign-in form. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/signin");
  }

  async signIn(creds: { email: string; password: string }) {
    const form = this.page.getByRole("form", { name: "Sign in" });
    await form.getByLabel("Email").fill(creds.email);
    await form.getByLabel("Password").fill(creds.password);
    await form.getByRole("button", { name: "Sign in" }).click();
  }

  /** The form's own error (Next's route announcer is an alert too). */
  get error() {
    return this.page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  }
}
