import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/auth-pages";
import { newPerson } from "./support/accounts";

test("a wrong password is refused with a clear message", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn({ email: "viewer@demo.factdesk.test", password: "not-the-password" });
  await expect(signIn.error).toHaveText("That email and password do not match.");
  await expect(page).toHaveURL(/\/signin/);
});

test("five failed sign-ins lock the account: the next attempt is answered 429 with Retry-After, even with the right password", async ({ page, request }) => {
  const person = newPerson("locked");
  expect((await request.post("/api/signup", { data: person })).status()).toBe(201);
  const signIn = new SignInPage(page);
  await signIn.goto();
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signIn.signIn({ email: person.email, password: `wrong-${attempt}` });
    await expect(signIn.error).toHaveText("That email and password do not match.");
  }
  const answer = page.waitForResponse((res) => res.url().includes("/api/auth/callback/credentials"));
  await signIn.signIn({ email: person.email, password: person.password });
  const response = await answer;
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  await expect(signIn.error).toContainText("Too many failed sign-ins");
  await expect(page).toHaveURL(/\/signin/);
});
