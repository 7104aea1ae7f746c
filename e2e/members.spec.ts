import { expect, test } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";
import { SignUpPage } from "./pages/auth-pages";
import { MembersPage } from "./pages/desk-pages";

test("an owner invites a checker by link, the invitee joins, and the owner changes their role", async ({ page, browser }) => {
  const owner = newPerson("Owner");
  await signUpByApi(page.request, owner);
  const created = await page.request.post("/api/teams", { data: { name: `Desk of ${owner.name}` } });
  const { team } = (await created.json()) as { team: { slug: string } };

  const members = new MembersPage(page);
  await members.goto(team.slug);
  const link = await members.createInvite("checker");

  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  const person = newPerson("Invitee");
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: `Join Desk of ${owner.name}` })).toBeVisible();
  await invitee.getByRole("link", { name: "Create an account" }).click();
  await new SignUpPage(invitee).signUp(person);
  await invitee.getByRole("button", { name: "Join the desk" }).click();
  await expect(invitee.getByRole("heading", { level: 1, name: `Desk of ${owner.name}` })).toBeVisible();
  await expect(invitee.getByText("Your role:")).toBeVisible();
  await expect(invitee.locator(".page-head .badge")).toHaveText("Checker");
  await inviteeContext.close();

  await page.reload();
  const row = members.memberRow(person.name);
  await expect(row).toBeVisible();
  const roleSelect = row.getByLabel(`Role of ${person.name}`);
  await expect(roleSelect).toHaveValue("checker");
  expect((await members.changeRole(person.name, "editor")).status()).toBe(200);
  await page.reload();
  await expect(members.memberRow(person.name).getByLabel(`Role of ${person.name}`)).toHaveValue("editor");

  // The last owner cannot demote themselves.
  expect((await members.changeRole(owner.name, "viewer")).status()).toBe(409);
  await expect(members.error).toHaveText("A desk must keep at least one owner.");
  await page.reload();
  await expect(members.memberRow(owner.name).getByLabel(`Role of ${owner.name}`)).toHaveValue("owner");
});
