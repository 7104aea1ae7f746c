import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getArticle } from "@/app/api/articles/[id]/route";
import { GET as listArticlesRoute, POST as importArticle } from "@/app/api/teams/[team]/articles/route";
import { ACTIVE_WINDOW_MS, recordVisit } from "@/db/queries/articles";
import { sanitizeArticleHtml } from "@/lib/article-import";
import { articles, articleVisits, auditEvents, memberships } from "@/db/schema";
import { docToPlainText, type ProseMirrorJson } from "@/model/editor-extensions";
import { call, createDesk, type TestDesk } from "../support/api";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

let desk: TestDesk;
beforeAll(async () => {
  desk = await createDesk(app, "Articles Desk");
});

async function storedContent(id: string): Promise<ProseMirrorJson> {
  const [row] = await app.db.select({ content: articles.content }).from(articles).where(eq(articles.id, id));
  if (!row) throw new Error(`article ${id} not stored`);
  return row.content;
}

function collect(node: ProseMirrorJson, out: ProseMirrorJson[] = []): ProseMirrorJson[] {
  out.push(node);
  node.content?.forEach((child) => collect(child, out));
  return out;
}

const HOSTILE_HTML = [
  `<h1 onclick="alert('h1')">Ministers' claims</h1>`,
  `<p onclick="alert('p')" style="color:red" class="lead">Unemployment fell to <strong>3.9%</strong>, `,
  `says <a href="javascript:alert('link')">the ministry</a> and <a href="https://stats.example.org/release" onmouseover="steal()">the statistics office</a>.</p>`,
  `<script>alert('xss'); document.cookie</script>`,
  `<img src="x" onerror="alert('img')">`,
  `<iframe src="https://evil.example/frame"></iframe>`,
  `<p>Second<br>line <a href="JaVaScRiPt:alert('mixed')">mixed case</a> <a href="data:text/html,boom">data</a></p>`,
  `<p><a href="&#106;avascript:alert('entity')">entity</a> <a href=" java\tscript:alert('tab')">tab</a> <a href="//evil.example/x">relative</a></p>`,
  `<style>p { background: url(javascript:alert('css')) }</style>`,
  `<svg onload="alert('svg')"><script>alert('svg script')</script></svg>`,
  `<ul><li onclick="alert('li')">One point</li></ul>`,
].join("");
const TRACES = ["script", "alert", "onclick", "onerror", "onload", "onmouseover", "javascript", "steal", "iframe", "evil", "style", "data:", "cookie", "lead", "&#"];

describe("importing an article", () => {
  it("imports plain text as paragraphs and line breaks, with its metadata", async () => {
    const text = "First paragraph.\r\n\r\nSecond paragraph, line one\nline two\n\n\n   \nThird — with “quotes” & <tags>.";
    const res = await call(importArticle, {
      as: desk.users.editor,
      params: { team: desk.team.slug },
      json: {
        title: "  The budget claims  ",
        format: "text",
        content: text,
        sourceUrl: "https://news.example.com/budget",
        publisher: "Example News",
        author: "A. Reporter",
        publishedAt: "2024-03-01",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.article).toMatchObject({ title: "The budget claims", slug: "the-budget-claims", teamSlug: desk.team.slug });

    const got = await call(getArticle, { as: desk.users.viewer, params: { id: res.body.article.id } });
    expect(got.status).toBe(200);
    expect(got.body.article).toMatchObject({
      id: res.body.article.id,
      title: "The budget claims",
      sourceUrl: "https://news.example.com/budget",
      publisher: "Example News",
      author: "A. Reporter",
      publishedOn: "2024-03-01",
      team: { slug: desk.team.slug, name: "Articles Desk" },
      role: "viewer",
    });
    expect(docToPlainText(got.body.article.content)).toBe(
      "First paragraph.\n\nSecond paragraph, line one\nline two\n\nThird — with “quotes” & <tags>.",
    );
    expect(got.body.article.content.content.map((n: ProseMirrorJson) => n.type)).toEqual(["paragraph", "paragraph", "paragraph"]);

    const [event] = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "article.import"), eq(auditEvents.targetId, res.body.article.id)));
    expect(event).toMatchObject({ teamId: desk.team.id, actorId: desk.users.editor.id, data: { title: "The budget claims" } });
  });

  it("reduces HTML to the editor schema: scripts, handlers and javascript: links leave no trace", async () => {
    const res = await call(importArticle, {
      as: desk.users.owner,
      params: { team: desk.team.slug },
      json: { title: "Hostile markup", format: "html", content: HOSTILE_HTML },
    });
    expect(res.status).toBe(201);
    const content = await storedContent(res.body.article.id);
    const serialised = JSON.stringify(content).toLowerCase();
    // Both layers hold on their own: the HTML sanitizer, and the editor schema the result is parsed into.
    const sanitised = sanitizeArticleHtml(HOSTILE_HTML).toLowerCase();
    for (const trace of TRACES) {
      expect(serialised, trace).not.toContain(trace);
      expect(sanitised, trace).not.toContain(trace);
    }
    // What the schema can hold survives: the heading (as h2), emphasis, the safe link, breaks, lists.
    const nodes = collect(content);
    expect(nodes.find((n) => n.type === "heading")).toMatchObject({ attrs: { level: 2 }, content: [{ type: "text", text: "Ministers' claims" }] });
    const links = nodes.flatMap((n) => n.marks ?? []).filter((m) => m.type === "link");
    expect(links.map((l) => l.attrs?.href)).toEqual(["https://stats.example.org/release"]);
    expect(nodes.some((n) => n.marks?.some((m) => m.type === "bold") && n.text === "3.9%")).toBe(true);
    expect(nodes.some((n) => n.type === "hardBreak")).toBe(true);
    expect(nodes.some((n) => n.type === "bulletList")).toBe(true);
    const text = docToPlainText(content);
    expect(text).toContain("Unemployment fell to 3.9%, says the ministry and the statistics office.");
    expect(text).toContain("One point");
    // Every node type is one the editor knows.
    const known = new Set(["doc", "heading", "paragraph", "text", "hardBreak", "bulletList", "orderedList", "listItem", "blockquote"]);
    expect(nodes.filter((n) => !known.has(n.type))).toEqual([]);
  });

  it("de-duplicates slugs within a desk", async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await call(importArticle, {
        as: desk.users.editor,
        params: { team: desk.team.slug },
        json: { title: "Same Title", format: "text", content: `Version ${i}` },
      });
      expect(res.status).toBe(201);
      slugs.push(res.body.article.slug);
    }
    expect(slugs).toEqual(["same-title", "same-title-2"]);
  });

  it("gives concurrent imports of the same title distinct slugs", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        call(importArticle, { as: desk.users.editor, params: { team: desk.team.slug }, json: { title: "Live Blog", format: "text", content: `Take ${i}` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.body.article.slug).sort()).toEqual(["live-blog", "live-blog-2", "live-blog-3", "live-blog-4", "live-blog-5"]);
  });

  it("refuses HTML that keeps no text once reduced (400) and stores nothing", async () => {
    const before = await app.db.$count(articles, eq(articles.teamId, desk.team.id));
    for (const content of ["<script>alert('only a script')</script>", '<img src="x" onerror="alert(1)">', "<p> </p><br>", "<p>&nbsp;</p>"]) {
      const res = await call(importArticle, { as: desk.users.editor, params: { team: desk.team.slug }, json: { title: "Empty", format: "html", content } });
      expect(res.status, content).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect(await app.db.$count(articles, eq(articles.teamId, desk.team.id))).toBe(before);
  });

  it("refuses unsafe or malformed metadata with 400 and stores nothing", async () => {
    const before = await app.db.$count(articles, eq(articles.teamId, desk.team.id));
    for (const extra of [
      { sourceUrl: "javascript:alert(1)" },
      { sourceUrl: "ftp://files.example.org/a" },
      { publishedAt: "yesterday" },
      { content: "   " },
      { format: "markdown" },
      { title: "x".repeat(301) },
    ]) {
      const res = await call(importArticle, {
        as: desk.users.editor,
        params: { team: desk.team.slug },
        json: { title: "Bad", format: "text", content: "Body", ...extra },
      });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect(await app.db.$count(articles, eq(articles.teamId, desk.team.id))).toBe(before);
  });
});

describe("listing a desk's articles", () => {
  let otherDesk: TestDesk;
  let first: string;
  let second: string;

  beforeAll(async () => {
    otherDesk = await createDesk(app, "Listing Desk");
    const make = async (title: string) => {
      const res = await call(importArticle, {
        as: otherDesk.users.editor,
        params: { team: otherDesk.team.slug },
        json: { title, format: "text", content: `${title} body.` },
      });
      expect(res.status).toBe(201);
      return res.body.article.id as string;
    };
    first = await make("First story");
    second = await make("Second story");
  });

  it("lists the newest first, with paging, and only this desk's articles", async () => {
    const res = await call(listArticlesRoute, { as: otherDesk.users.viewer, params: { team: otherDesk.team.slug } });
    expect(res.status).toBe(200);
    expect(res.body.articles.map((a: { id: string }) => a.id)).toEqual([second, first]);
    expect(res.body.articles[0]).toMatchObject({ title: "Second story", slug: "second-story", activeMembers: [] });
    const paged = await call(listArticlesRoute, { as: otherDesk.users.viewer, params: { team: otherDesk.team.slug }, query: { limit: "1", offset: "1" } });
    expect(paged.body.articles.map((a: { id: string }) => a.id)).toEqual([first]);
    const bad = await call(listArticlesRoute, { as: otherDesk.users.viewer, params: { team: otherDesk.team.slug }, query: { limit: "1000" } });
    expect(bad.status).toBe(400);
  });

  it("shows who is working on an article: recent visitors who are still members, most recent first", async () => {
    const { checker, commenter, viewer } = otherDesk.users;
    await recordVisit(app.db, { articleId: first, userId: checker.id });
    await recordVisit(app.db, { articleId: first, userId: commenter.id });
    await recordVisit(app.db, { articleId: second, userId: viewer.id });
    // Not a member of this desk: must not show up.
    await recordVisit(app.db, { articleId: first, userId: otherDesk.outsider.id });
    await app.db
      .update(articleVisits)
      .set({ seenAt: new Date(Date.now() - 60_000) })
      .where(and(eq(articleVisits.articleId, first), eq(articleVisits.userId, checker.id)));

    const res = await call(listArticlesRoute, { as: viewer, params: { team: otherDesk.team.slug } });
    const byId = new Map(res.body.articles.map((a: { id: string; activeMembers: unknown[] }) => [a.id, a.activeMembers]));
    expect(byId.get(first)).toEqual([
      { id: commenter.id, name: commenter.name },
      { id: checker.id, name: checker.name },
    ]);
    expect(byId.get(second)).toEqual([{ id: viewer.id, name: viewer.name }]);

    // A visit older than the window no longer counts; a second visit refreshes it.
    await app.db
      .update(articleVisits)
      .set({ seenAt: new Date(Date.now() - ACTIVE_WINDOW_MS - 60_000) })
      .where(eq(articleVisits.userId, commenter.id));
    // A member who leaves the desk disappears from the list.
    await app.db.delete(memberships).where(and(eq(memberships.teamId, otherDesk.team.id), eq(memberships.userId, viewer.id)));
    await recordVisit(app.db, { articleId: first, userId: checker.id });
    const later = await call(listArticlesRoute, { as: otherDesk.users.editor, params: { team: otherDesk.team.slug } });
    const laterById = new Map(later.body.articles.map((a: { id: string; activeMembers: unknown[] }) => [a.id, a.activeMembers]));
    expect(laterById.get(first)).toEqual([{ id: checker.id, name: checker.name }]);
    expect(laterById.get(second)).toEqual([]);
  });

  it("GET /api/articles/:id answers only members of the article's desk", async () => {
    const own = await call(getArticle, { as: otherDesk.users.commenter, params: { id: first } });
    expect(own.status).toBe(200);
    expect(own.body.article).toMatchObject({ id: first, title: "First story", role: "commenter", team: { slug: otherDesk.team.slug } });
    expect(docToPlainText(own.body.article.content)).toBe("First story body.");
    const foreign = await call(getArticle, { as: desk.users.owner, params: { id: first } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
  });
});
