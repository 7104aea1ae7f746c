import { expect, test } from "@playwright/test";

// Every page and API answer of the app carries the security headers (the published pages send their
// own, stricter policy; e2e/published-page-security.spec.ts checks those).
test("the app's pages and API send the security headers, with no unsafe-eval in production", async ({ request, page }) => {
  for (const path of ["/signin", "/api/health", "/desks"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
  // The policy lets the sign-in page run: no violation is reported while it loads and hydrates.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: /sign in/i }).first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("a state-changing API call from another origin is refused, even with a session cookie", async ({ request }) => {
  const response = await request.post("/api/teams", {
    headers: { origin: "https://evil.example", cookie: "next-auth.session-token=forged" },
    data: { name: "Cross-site desk" },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: { code: "bad_origin" } });
});
