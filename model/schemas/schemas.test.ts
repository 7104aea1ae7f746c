import { describe, expect, it } from "vitest";
import { LIMITS } from "../limits";
import {
  createInviteInput,
  createTeamInput,
  email,
  httpUrl,
  id,
  importArticleInput,
  listArticlesQuery,
  optionalText,
  requiredText,
  signInInput,
  signUpInput,
  slug,
  updateMemberInput,
} from "./index";

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe("common", () => {
  describe("httpUrl", () => {
    it.each([
      "https://example.org",
      "http://example.org/path?q=1#frag",
      "https://www.news.example.co.uk/2017/10/article.html",
      "HTTPS://Example.ORG/Upper",
    ])("accepts %s", (url) => {
      expect(ok(httpUrl, url)).toBe(true);
    });

    it.each([
      ["javascript:", "javascript:alert(1)"],
      ["javascript: with slashes", "javascript://example.org/%0Aalert(1)"],
      ["mixed-case javascript:", "JaVaScRiPt:alert(1)"],
      ["data:", "data:text/html;base64,PHNjcmlwdD4="],
      ["ftp:", "ftp://example.org/file.txt"],
      ["file:", "file:///etc/passwd"],
      ["mailto:", "mailto:someone@example.org"],
      ["relative path", "/articles/1"],
      ["relative file", "article.html"],
      ["protocol-relative", "//example.org/x"],
      ["bare host", "example.org"],
      ["empty", ""],
      ["not a URL", "not a url"],
    ])("refuses %s (%s)", (_label, url) => {
      expect(ok(httpUrl, url)).toBe(false);
    });

    it("refuses URLs longer than the limit", () => {
      const base = "https://example.org/";
      expect(ok(httpUrl, base + "a".repeat(LIMITS.urlChars - base.length))).toBe(true);
      expect(ok(httpUrl, base + "a".repeat(LIMITS.urlChars - base.length + 1))).toBe(false);
    });
  });

  describe("slug", () => {
    it.each(["ab", "demo-desk", "desk-2024", "a1-b2-c3", "x".repeat(60)])("accepts %j", (value) => {
      expect(ok(slug, value)).toBe(true);
    });

    it.each([
      ["one character", "a"],
      ["61 characters", "x".repeat(61)],
      ["upper case", "Demo-Desk"],
      ["a double dash", "demo--desk"],
      ["a leading dash", "-demo"],
      ["a trailing dash", "demo-"],
      ["a space", "demo desk"],
      ["an underscore", "demo_desk"],
      ["a slash", "demo/desk"],
      ["non-ASCII", "café-desk"],
      ["empty", ""],
    ])("refuses %s", (_label, value) => {
      expect(ok(slug, value)).toBe(false);
    });
  });

  describe("requiredText / optionalText", () => {
    it("requiredText trims and refuses empty or blank text and text over the limit", () => {
      const schema = requiredText(5);
      expect(schema.parse("  hello  ")).toBe("hello");
      expect(ok(schema, "")).toBe(false);
      expect(ok(schema, "   ")).toBe(false);
      expect(ok(schema, "toolong")).toBe(false);
    });

    it("optionalText trims and turns empty or blank text into undefined", () => {
      const schema = optionalText(5);
      expect(schema.parse(" hi ")).toBe("hi");
      expect(schema.parse("")).toBeUndefined();
      expect(schema.parse("   ")).toBeUndefined();
      expect(schema.parse(undefined)).toBeUndefined();
      expect(ok(schema, "toolong")).toBe(false);
    });
  });

  it("id accepts a UUID and refuses anything else", () => {
    expect(ok(id, "0b3e6f0e-5b3a-4c1e-9d1e-2f6a8c9b7d10")).toBe(true);
    expect(ok(id, "not-a-uuid")).toBe(false);
    expect(ok(id, "1")).toBe(false);
  });
});

describe("auth", () => {
  it("email lower-cases the address", () => {
    expect(email.parse("Jane.Doe@Example.COM")).toBe("jane.doe@example.com");
  });

  it.each(["", "not-an-email", "@example.org", "jane@", "jane@example", "jane doe@example.org"])("email refuses %j", (value) => {
    expect(ok(email, value)).toBe(false);
  });

  const validSignUp = { name: "Jane Doe", email: "Jane@Example.org", password: "x".repeat(LIMITS.passwordMinChars) };

  it("signUpInput accepts a valid sign-up, lower-casing the email and trimming the name", () => {
    expect(signUpInput.parse({ ...validSignUp, name: "  Jane Doe " })).toEqual({
      name: "Jane Doe",
      email: "jane@example.org",
      password: validSignUp.password,
    });
  });

  it("signUpInput requires a password of at least the minimum length, at most the maximum", () => {
    expect(LIMITS.passwordMinChars).toBeGreaterThanOrEqual(8);
    expect(ok(signUpInput, { ...validSignUp, password: "x".repeat(LIMITS.passwordMinChars - 1) })).toBe(false);
    expect(ok(signUpInput, { ...validSignUp, password: "short" })).toBe(false);
    expect(ok(signUpInput, { ...validSignUp, password: "x".repeat(LIMITS.passwordMaxChars) })).toBe(true);
    expect(ok(signUpInput, { ...validSignUp, password: "x".repeat(LIMITS.passwordMaxChars + 1) })).toBe(false);
  });

  it("signUpInput names the minimum in its message", () => {
    const result = signUpInput.safeParse({ ...validSignUp, password: "short" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`Use at least ${LIMITS.passwordMinChars} characters`);
  });

  it("signUpInput refuses a blank name, a bad email or missing fields", () => {
    expect(ok(signUpInput, { ...validSignUp, name: "   " })).toBe(false);
    expect(ok(signUpInput, { ...validSignUp, email: "nope" })).toBe(false);
    expect(ok(signUpInput, { email: validSignUp.email, password: validSignUp.password })).toBe(false);
  });

  it("signInInput accepts any non-empty password (length rules are for sign-up) and lower-cases the email", () => {
    expect(signInInput.parse({ email: "OWNER@demo.factdesk.test", password: "x" })).toEqual({
      email: "owner@demo.factdesk.test",
      password: "x",
    });
    expect(ok(signInInput, { email: "owner@demo.factdesk.test", password: "" })).toBe(false);
    expect(ok(signInInput, { email: "owner@demo.factdesk.test", password: "x".repeat(LIMITS.passwordMaxChars + 1) })).toBe(false);
  });
});

describe("team", () => {
  it("createTeamInput trims the name and makes the slug optional", () => {
    expect(createTeamInput.parse({ name: "  Demo Desk " })).toEqual({ name: "Demo Desk" });
    expect(createTeamInput.parse({ name: "Demo Desk", slug: "demo-desk" })).toEqual({ name: "Demo Desk", slug: "demo-desk" });
  });

  it("createTeamInput refuses a blank or over-long name and a bad slug", () => {
    expect(ok(createTeamInput, { name: "" })).toBe(false);
    expect(ok(createTeamInput, { name: "   " })).toBe(false);
    expect(ok(createTeamInput, { name: "x".repeat(LIMITS.teamNameChars + 1) })).toBe(false);
    expect(ok(createTeamInput, { name: "Demo", slug: "Demo Desk" })).toBe(false);
  });

  it("updateMemberInput accepts each known role and refuses others", () => {
    for (const role of ["viewer", "commenter", "checker", "editor", "owner"]) {
      expect(updateMemberInput.parse({ role })).toEqual({ role });
    }
    expect(ok(updateMemberInput, { role: "admin" })).toBe(false);
    expect(ok(updateMemberInput, { role: "Owner" })).toBe(false);
    expect(ok(updateMemberInput, {})).toBe(false);
  });

  it("createInviteInput defaults expiresInDays to 7", () => {
    expect(createInviteInput.parse({ role: "checker" })).toEqual({ role: "checker", expiresInDays: 7 });
  });

  it("createInviteInput accepts 1 to 30 days and refuses 0, 31, fractions and strings", () => {
    expect(createInviteInput.parse({ role: "viewer", expiresInDays: 1 }).expiresInDays).toBe(1);
    expect(createInviteInput.parse({ role: "viewer", expiresInDays: 30 }).expiresInDays).toBe(30);
    expect(ok(createInviteInput, { role: "viewer", expiresInDays: 0 })).toBe(false);
    expect(ok(createInviteInput, { role: "viewer", expiresInDays: 31 })).toBe(false);
    expect(ok(createInviteInput, { role: "viewer", expiresInDays: -1 })).toBe(false);
    expect(ok(createInviteInput, { role: "viewer", expiresInDays: 1.5 })).toBe(false);
    expect(ok(createInviteInput, { role: "viewer", expiresInDays: "7" })).toBe(false);
  });

  it("createInviteInput refuses an unknown or missing role", () => {
    expect(ok(createInviteInput, { role: "superuser" })).toBe(false);
    expect(ok(createInviteInput, { expiresInDays: 7 })).toBe(false);
  });
});

describe("article", () => {
  const minimal = { title: "A claim", format: "text", content: "Some text." };

  it("importArticleInput accepts a minimal import and trims title and content", () => {
    expect(importArticleInput.parse({ ...minimal, title: "  A claim  ", content: "\n Some text. \n" })).toEqual({
      title: "A claim",
      format: "text",
      content: "Some text.",
    });
  });

  it("importArticleInput accepts full metadata", () => {
    expect(
      importArticleInput.parse({
        ...minimal,
        format: "html",
        sourceUrl: "https://news.example.org/story",
        publisher: " Example News ",
        author: "A. Writer",
        publishedAt: "2017-10-10",
      }),
    ).toEqual({
      ...minimal,
      format: "html",
      sourceUrl: "https://news.example.org/story",
      publisher: "Example News",
      author: "A. Writer",
      publishedAt: "2017-10-10",
    });
  });

  it('importArticleInput turns "" optional fields into undefined', () => {
    const parsed = importArticleInput.parse({ ...minimal, sourceUrl: "", publisher: "", author: "  ", publishedAt: "" });
    expect(parsed.sourceUrl).toBeUndefined();
    expect(parsed.publisher).toBeUndefined();
    expect(parsed.author).toBeUndefined();
    expect(parsed.publishedAt).toBeUndefined();
  });

  it("importArticleInput refuses an empty, blank or over-long title", () => {
    expect(ok(importArticleInput, { ...minimal, title: "" })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, title: "   " })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, title: "x".repeat(LIMITS.titleChars + 1) })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, title: "x".repeat(LIMITS.titleChars) })).toBe(true);
  });

  it.each(["markdown", "TEXT", "", "pdf"])("importArticleInput refuses the format %j", (format) => {
    expect(ok(importArticleInput, { ...minimal, format })).toBe(false);
  });

  it("importArticleInput refuses empty or oversized content and accepts content at the limit", () => {
    expect(ok(importArticleInput, { ...minimal, content: "" })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, content: " \n\t " })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, content: "x".repeat(LIMITS.importedArticleChars) })).toBe(true);
    expect(ok(importArticleInput, { ...minimal, content: "x".repeat(LIMITS.importedArticleChars + 1) })).toBe(false);
  });

  it.each(["javascript:alert(1)", "data:text/html,x", "ftp://example.org/a", "/relative", "example.org"])(
    "importArticleInput refuses the source URL %j",
    (sourceUrl) => {
      expect(ok(importArticleInput, { ...minimal, sourceUrl })).toBe(false);
    },
  );

  it("importArticleInput refuses a publication date that is not an ISO date", () => {
    expect(ok(importArticleInput, { ...minimal, publishedAt: "10/10/2017" })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, publishedAt: "2017-02-30" })).toBe(false);
    expect(ok(importArticleInput, { ...minimal, publishedAt: "2017-10-10T10:00:00Z" })).toBe(false);
  });

  it("listArticlesQuery coerces query strings and applies defaults", () => {
    expect(listArticlesQuery.parse({})).toEqual({ limit: 50, offset: 0 });
    expect(listArticlesQuery.parse({ limit: "20", offset: "40" })).toEqual({ limit: 20, offset: 40 });
    expect(ok(listArticlesQuery, { limit: "0" })).toBe(false);
    expect(ok(listArticlesQuery, { limit: "101" })).toBe(false);
    expect(ok(listArticlesQuery, { offset: "-1" })).toBe(false);
    expect(ok(listArticlesQuery, { limit: "abc" })).toBe(false);
  });
});
