import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/auth-pages";

test("a wrong password is refused with a clear message", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn({ email: "viewer@demo.factdesk.test", password: "not-the-password" });
  await expect(signIn.error).toHaveText("That email and password do not match.");
  await expect(page).toHaveURL(/\/signin/);
});
