import { expect, test } from "@playwright/test";
import { newPerson, signInByApi, signUpByApi } from "./support/accounts";
import { demoArticleId, demoPage } from "./support/demo";
import { AccountPage } from "./pages/account-pages";
import { ArticlePage } from "./pages/desk-pages";

test("a person creates an API token, sees it once, uses it to list their desks, and revokes it", async ({ page, request }) => {
  const person = newPerson("Integrator");
  await signUpByApi(page.request, person);
  const deskName = `Token desk ${person.name}`;
  const created = await page.request.post("/api/teams", { data: { name: deskName } });
  expect(created.status()).toBe(201);
  const { team } = (await created.json()) as { team: { slug: string } };

  await page.goto("/desks");
  const account = new AccountPage(page);
  await account.openFromHeader();
  const secret = await account.createToken("CMS import", "Read");
  expect(secret).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
  await expect(account.tokenRow("CMS import")).toContainText("Read");
  await expect(account.tokenRow("CMS import")).toContainText(secret.slice(0, 12));

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(account.secret).toHaveCount(0);
  await expect(account.tokenRow("CMS import")).not.toContainText(secret.slice(12));

  // The token works on its own, without the browser's cookie.
  const bearer = { authorization: `Bearer ${secret}` };
  const desks = await request.get("/api/teams", { headers: bearer });
  expect(desks.status()).toBe(200);
  expect(((await desks.json()) as { teams: { name: string }[] }).teams.map((t) => t.name)).toEqual([deskName]);
  // A read token may not write, even where its owner may.
  const write = await request.post(`/api/teams/${team.slug}/articles`, { headers: bearer, data: { title: "From the CMS", format: "text", content: "Some text." } });
  expect(write.status()).toBe(403);
  expect(((await write.json()) as { error: { message: string } }).error.message).toMatch(/"write" scope/);

  await page.reload();
  await expect(account.tokenRow("CMS import")).not.toContainText("never");
  await account.revokeToken("CMS import");
  const refused = await request.get("/api/teams", { headers: bearer });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
});

test("changing the password in one browser signs out the same person's other browser and its open article; this one stays signed in", async ({ browser }) => {
  const person = newPerson("Changer");
  const here = await (await browser.newContext()).newPage();
  await signUpByApi(here.request, person);
  // The person joins the demo desk as a viewer, so the other browser can have the demo article open.
  const owner = await demoPage(browser, "owner");
  const invite = await owner.request.post("/api/teams/demo-desk/invites", { data: { role: "viewer" } });
  const { invite: link } = (await invite.json()) as { invite: { token: string } };
  expect((await here.request.post(`/api/invites/${link.token}/accept`)).status()).toBe(200);
  await owner.context().close();

  const elsewhere = await (await browser.newContext()).newPage();
  await signInByApi(elsewhere.request, person);
  const article = new ArticlePage(elsewhere);
  await article.goto("demo-desk", await demoArticleId(elsewhere.request));
  await article.waitUntilLive();

  const account = new AccountPage(here);
  await account.goto();
  await account.changePassword(person.password, "a-much-better-password", "a-different-password");
  await expect(account.passwordError).toHaveText("The new password and its confirmation differ.");
  await account.changePassword("not-the-password", "a-much-better-password");
  await expect(account.passwordError).toHaveText("The current password is not right.");
  await account.changePassword(person.password, "a-much-better-password");
  await expect(account.passwordChanged).toContainText("Your password has been changed");

  // The other browser's live connection is closed, and it cannot reconnect: its session has ended.
  await expect(article.status).toHaveAttribute("data-state", "stopped", { timeout: 15_000 });
  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/signin/);

  // This browser stays signed in, with the new session cookie.
  await here.reload();
  await expect(here.getByTestId("current-user")).toHaveText(person.name);
  expect((await here.request.get("/api/teams")).status()).toBe(200);

  // Only the new password signs in now.
  const fresh = await (await browser.newContext()).newPage();
  await signInByApi(fresh.request, { email: person.email, password: "a-much-better-password" });
  await Promise.all([here.context().close(), elsewhere.context().close(), fresh.context().close()]);
});

test("signing out everywhere ends this browser's session and the others'", async ({ browser }) => {
  const person = newPerson("Leaver");
  const here = await (await browser.newContext()).newPage();
  await signUpByApi(here.request, person);
  const elsewhere = await (await browser.newContext()).newPage();
  await signInByApi(elsewhere.request, person);

  const account = new AccountPage(here);
  await account.goto();
  await account.signOutEverywhere();
  await expect(here).toHaveURL(/\/signin/);
  await expect(here.getByRole("heading", { name: "Sign in to Factdesk" })).toBeVisible();
  expect((await here.request.get("/api/teams")).status()).toBe(401);
  expect((await elsewhere.request.get("/api/teams")).status()).toBe(401);
  await Promise.all([here.context().close(), elsewhere.context().close()]);
});
