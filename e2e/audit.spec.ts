import { expect, test } from "@playwright/test";
import { newPerson, signUpByApi } from "./support/accounts";

test("an owner reads, filters and exports the desk's audit log; an editor cannot reach it", async ({ page, browser }) => {
  const owner = newPerson("Owner");
  await signUpByApi(page.request, owner);
  const created = await page.request.post("/api/teams", { data: { name: `Audited desk ${Date.now()}` } });
  const { team } = (await created.json()) as { team: { slug: string; name: string } };

  const editorPage = await (await browser.newContext()).newPage();
  const editor = newPerson("Editor");
  await signUpByApi(editorPage.request, editor);
  const invite = await page.request.post(`/api/teams/${team.slug}/invites`, { data: { role: "checker" } });
  const { invite: link } = (await invite.json()) as { invite: { token: string } };
  expect((await editorPage.request.post(`/api/invites/${link.token}/accept`)).status()).toBe(200);
  const members = (await (await page.request.get(`/api/teams/${team.slug}/members`)).json()) as { members: { userId: string; name: string }[] };
  const editorId = members.members.find((m) => m.name === editor.name)!.userId;
  expect((await page.request.patch(`/api/teams/${team.slug}/members/${editorId}`, { data: { role: "editor" } })).status()).toBe(200);

  // The owner finds the log in the desk's sections.
  await page.goto(`/desks/${team.slug}`);
  await page.getByRole("navigation", { name: "Desk sections" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Audit log" })).toBeVisible();
  const rows = page.getByRole("table", { name: "Audit log" }).getByTestId("audit-row");
  await expect(rows.filter({ hasText: "Changed a role" })).toContainText(`${editor.name}: Checker → Editor`);
  await expect(rows.filter({ hasText: "Joined through an invite" })).toContainText(editor.name);
  await expect(rows.filter({ hasText: "Created the desk" })).toContainText(owner.name);

  // Filtering by action keeps the filter in the address and in the export link.
  const filters = page.getByRole("form", { name: "Filter the audit log" });
  await filters.getByLabel("Action").selectOption({ label: "Changed a role" });
  await expect(rows).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]action=member\.role_change/);
  await filters.getByLabel("Person").selectOption({ label: editor.name });
  await expect(page.getByRole("status").filter({ hasText: "No events match these filters." })).toBeVisible();
  await filters.getByLabel("Person").selectOption({ label: owner.name });
  await expect(rows).toHaveCount(1);

  const exportLink = filters.getByRole("link", { name: "Export CSV" });
  const href = (await exportLink.getAttribute("href"))!;
  expect(href).toContain("format=csv");
  expect(href).toContain("action=member.role_change");
  const csv = await page.request.get(href);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("Changed a role");
  expect(lines[1]).toContain(editor.name);

  // The editor has no link to it, and the page does not exist for them.
  await editorPage.goto(`/desks/${team.slug}`);
  await expect(editorPage.getByRole("navigation", { name: "Desk sections" }).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(editorPage.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await editorPage.goto(`/desks/${team.slug}/audit`))?.status()).toBe(404);
  await editorPage.context().close();
});
