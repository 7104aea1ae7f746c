import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getExport } from "@/app/api/articles/[id]/export/route";
import { GET as listPublicationsRoute, POST as postPublication } from "@/app/api/articles/[id]/publications/route";
import { POST as postUnpublish } from "@/app/api/articles/[id]/unpublish/route";
import { GET as getPublicPage } from "@/app/p/[team]/[article]/route";
import { GET as getPublicVersion } from "@/app/p/[team]/[article]/v/[n]/route";
import { auditEvents, publications, revisions } from "@/db/schema";
import { handlePublicPage } from "@/server/public-pages";
import { addEvidence, approveClaim, createThread, updateClaim } from "@/model/review";
import { approveSummary, setSummaryRating, setTakeaway, summaryFragment } from "@/model/summary";
import * as Y from "yjs";
import { call, createDesk, type TestDesk, type TestUser } from "../support/api";
import { useTestApp } from "../support/test-database";
import { jsonLdOf, parseHtml, startSession, type Session } from "./publishing-support";

const app = useTestApp();

const TEXT = [
  "The minister said unemployment fell by 40 percent last year, the largest drop on record.",
  "More than 16,000 foreign terrorist fighters from more than 90 countries travelled to the region.",
  "Critics called the figures implausible.",
].join("\n\n");
const JOBS = "unemployment fell by 40 percent last year";
const COUNTRIES = "more than 90 countries";
const EVIDENCE = {
  url: "https://www.ons.gov.uk/employmentandlabourmarket/peoplenotinwork/unemployment",
  title: "Unemployment, UK: March 2024",
  publisher: "Office for National Statistics",
  stance: "refutes" as const,
  note: "The fall was 4 percent, not 40.",
};

let desk: TestDesk;
beforeAll(async () => {
  desk = await createDesk(app, "Publishing Desk");
});

const publish = (as: TestUser, id: string, json: unknown) => call(postPublication, { as, params: { id }, json });
const unpublish = (as: TestUser, id: string, json: unknown) => call(postUnpublish, { as, params: { id }, json });
const list = (as: TestUser, id: string) => call(listPublicationsRoute, { as, params: { id } });
const exportAs = (as: TestUser, id: string, format: string) => call(getExport, { as, params: { id }, query: { format } });
const page = (s: Session) => call(getPublicPage, { params: { team: desk.team.slug, article: s.article.slug } });
const version = (s: Session, n: number | string) => call(getPublicVersion, { params: { team: desk.team.slug, article: s.article.slug, n: String(n) } });

/** Two claims flagged by the checker, with verdicts and evidence; the first approved by the editor. */
async function deskSession(title: string): Promise<{ s: Session; jobs: string; countries: string }> {
  const { checker, editor } = desk.users;
  const s = await startSession(app, { teamId: desk.team.id, createdBy: editor.id, title, text: TEXT });
  let jobs = "";
  let countries = "";
  await s.as(checker, "review", (doc) => {
    jobs = createThread(doc, { kind: "claim", anchor: s.anchor(JOBS), by: checker.id, claim: { claimant: "The minister", appearedIn: "Radio interview", appearedOn: "2024-03-01" } });
  });
  await s.as(checker, "review", (doc) => updateClaim(doc, jobs, { by: checker.id, patch: { verdict: "false", rationale: "Official figures show a 4 percent fall.", state: "in_review" } }));
  await s.as(checker, "review", (doc) => void addEvidence(doc, jobs, { by: checker.id, evidence: EVIDENCE }));
  await s.as(checker, "review", (doc) => {
    countries = createThread(doc, { kind: "claim", anchor: s.anchor(COUNTRIES), by: checker.id });
  });
  await s.as(checker, "review", (doc) => updateClaim(doc, countries, { by: checker.id, patch: { verdict: "mostly-true", rationale: "UN figures say 110.", state: "in_review" } }));
  await s.as(editor, "review", (doc) => approveClaim(doc, jobs, { by: editor.id }));
  return { s, jobs, countries };
}

async function countRows(table: typeof publications | typeof revisions, articleId: string): Promise<number> {
  return app.db.$count(table, eq(table.articleId, articleId));
}

async function auditOf(articleId: string) {
  return app.db
    .select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, articleId)))
    .orderBy(asc(auditEvents.id));
}

describe("the publish gate", () => {
  it("refuses a publication with an unapproved public claim, naming it, and stores nothing", async () => {
    const { s, jobs, countries } = await deskSession("Gate refusal");
    const revisionsBefore = await countRows(revisions, s.article.id);
    const res = await publish(desk.users.editor, s.article.id, { claimIds: [jobs, countries] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("not_approved");
    expect(res.body.error.details).toEqual({ claims: [{ id: countries, quote: COUNTRIES, state: "in_review", reason: "not_approved" }] });
    expect(await countRows(publications, s.article.id)).toBe(0);
    expect(await countRows(revisions, s.article.id)).toBe(revisionsBefore);
    expect((await page(s)).status).toBe(404);
    expect((await list(desk.users.viewer, s.article.id)).body).toEqual({ publications: [], status: "never", url: null });
  });

  it("refuses a claim whose approval went void when its evidence changed after approval", async () => {
    const { s, jobs } = await deskSession("Gate void");
    await s.as(desk.users.checker, "review", (doc) => void addEvidence(doc, jobs, { by: desk.users.checker.id, evidence: { ...EVIDENCE, url: "https://example.org/more", title: "More" } }));
    const res = await publish(desk.users.editor, s.article.id, { claimIds: [jobs] });
    expect(res.status).toBe(409);
    expect(res.body.error.details.claims).toEqual([{ id: jobs, quote: JOBS, state: "in_review", reason: "not_approved" }]);
  });

  it("refuses a summary with content that is not approved, and publishes it once approved", async () => {
    const { s, jobs } = await deskSession("Gate summary");
    const { checker, editor } = desk.users;
    await s.as(checker, "summary", (doc) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("The headline figure is off by a factor of ten.")]);
      summaryFragment(doc).insert(0, [paragraph]);
      setSummaryRating(doc, { by: checker.id, rating: "mostly-false" });
      setTakeaway(doc, { by: checker.id, takeaway: "Unemployment fell by 4 percent, not 40." });
    });
    const refused = await publish(editor, s.article.id, { claimIds: [jobs] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ claims: [], summary: "not_approved" });

    await s.as(editor, "summary", (doc) => approveSummary(doc, { by: editor.id }));
    expect((await publish(editor, s.article.id, { claimIds: [jobs] })).status).toBe(201);
    const doc = parseHtml((await page(s)).body);
    expect(doc.querySelector(".summary .takeaway")?.textContent).toBe("Unemployment fell by 4 percent, not 40.");
    expect(doc.querySelector(".summary .verdict")?.textContent).toBe("Overall rating: Mostly false");
    expect(doc.querySelector(".summary")?.textContent).toContain("The headline figure is off by a factor of ten.");
  });

  it("lets only editors and owners publish or unpublish, and hides the article from outsiders", async () => {
    const { s, jobs } = await deskSession("Gate rights");
    for (const role of ["checker", "commenter", "viewer"] as const) {
      const res = await publish(desk.users[role], s.article.id, { claimIds: [jobs] });
      expect(res.status, role).toBe(403);
      expect((await unpublish(desk.users[role], s.article.id, { reason: "no" })).status, role).toBe(403);
    }
    expect((await publish(desk.outsider, s.article.id, { claimIds: [jobs] })).status).toBe(404);
    expect((await list(desk.outsider, s.article.id)).status).toBe(404);
    expect((await exportAs(desk.outsider, s.article.id, "markdown")).status).toBe(404);
    expect((await call(postPublication, { params: { id: s.article.id }, json: { claimIds: [jobs] } })).status).toBe(401);
    expect(await countRows(publications, s.article.id)).toBe(0);
    expect((await publish(desk.users.owner, s.article.id, { claimIds: [jobs] })).status).toBe(201);
  });

  it("answers bad input with 4xx JSON: unknown claims, malformed bodies, nothing to publish", async () => {
    const { s, jobs } = await deskSession("Gate input");
    const { editor } = desk.users;
    const unknown = await publish(editor, s.article.id, { claimIds: [jobs, "no-such-claim-id"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual({ unknownClaims: ["no-such-claim-id"] });
    for (const body of [{}, { claimIds: "x" }, { claimIds: [jobs], extra: 1 }, { claimIds: ["bad id!"] }, { claimIds: [jobs], correction: 5 }]) {
      const res = await publish(editor, s.article.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    expect((await publish(editor, s.article.id, { claimIds: [] })).status).toBe(400);
    expect((await call(postPublication, { as: editor, params: { id: s.article.id }, rawBody: "x", contentType: "text/plain" })).status).toBe(415);
    expect((await unpublish(editor, s.article.id, { reason: "  " })).status).toBe(400);
    expect((await unpublish(editor, s.article.id, { reason: "Not published yet" })).status).toBe(409);
    expect((await exportAs(editor, s.article.id, "pdf")).status).toBe(400);
  });
});

describe("publishing, the public page, corrections and unpublishing", () => {
  let s: Session;
  let jobs: string;
  let countries: string;

  beforeAll(async () => {
    ({ s, jobs, countries } = await deskSession("Jobs figures"));
  });

  it("publishes the approved claims as publication 1, with a system revision and an audit event", async () => {
    const res = await publish(desk.users.editor, s.article.id, { claimIds: [jobs] });
    expect(res.status).toBe(201);
    const url = `http://localhost:3000/p/${desk.team.slug}/${s.article.slug}`;
    expect(res.body.publication).toMatchObject({
      number: 1,
      publishedBy: { id: desk.users.editor.id, name: desk.users.editor.name },
      correction: null,
      claimCount: 1,
      url: `${url}/v/1`,
      unpublishedAt: null,
    });
    const [revision] = await app.db.select().from(revisions).where(and(eq(revisions.articleId, s.article.id), eq(revisions.number, res.body.revisionNumber)));
    expect(revision).toMatchObject({ kind: "system", reason: "publication", createdBy: desk.users.editor.id });
    expect((await auditOf(s.article.id)).filter((e) => e.action.startsWith("article."))).toEqual([
      { action: "article.import", actorId: desk.users.editor.id, data: expect.anything() },
      { action: "article.publish", actorId: desk.users.editor.id, data: { number: 1, claimIds: [jobs], revisionNumber: revision!.number } },
    ]);
    const listed = await list(desk.users.viewer, s.article.id);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ status: "published", url, publications: [{ number: 1, claimCount: 1 }] });
  });

  it("serves the stored page to anyone, with a strict CSP, cache headers and the ClaimReview JSON-LD", async () => {
    const res = await page(s);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self' https:/);
    expect(csp).not.toContain("script-src");

    // Exactly what was stored, not rebuilt.
    const [stored] = await app.db.select().from(publications).where(eq(publications.articleId, s.article.id));
    expect(res.body).toBe(stored!.html);
    expect(csp).toBe(stored!.csp);

    const doc = parseHtml(res.body);
    const { createHash } = await import("node:crypto");
    expect(csp).toContain(`'sha256-${createHash("sha256").update(doc.querySelector("style")!.textContent!).digest("base64")}'`);
    expect(doc.getElementById(`claim-${jobs}`)?.textContent).toBe(JOBS);
    expect(doc.getElementById(`claim-${countries}`)).toBeNull();
    expect(doc.querySelector(`#review-${jobs} .verdict`)?.textContent).toBe("Verdict: False");
    expect(doc.querySelector(`#review-${jobs} .evidence a`)?.getAttribute("href")).toBe(EVIDENCE.url);
    expect(doc.querySelector(`#review-${jobs} .evidence .stance`)?.textContent).toContain("Refutes");
    expect(doc.querySelector(`#review-${jobs} .credits`)?.textContent).toBe(`Checked by ${desk.users.checker.name} · Approved by ${desk.users.editor.name} on ${doc.querySelector(`#review-${jobs} .credits time`)?.textContent}`);
    expect(doc.querySelector("meta[property='og:title']")?.getAttribute("content")).toBe("Fact check: Jobs figures");
    const [review, ...more] = jsonLdOf(doc);
    expect(more).toEqual([]);
    expect(review).toMatchObject({
      "@type": "ClaimReview",
      url: `http://localhost:3000/p/${desk.team.slug}/${s.article.slug}#claim-${jobs}`,
      claimReviewed: JOBS,
      author: { "@type": "Organization", name: desk.team.name },
      reviewRating: { "@type": "Rating", alternateName: "False", ratingValue: 3, bestRating: 7, worstRating: 1 },
      itemReviewed: { "@type": "Claim", author: { name: "The minister" }, datePublished: "2024-03-01", appearance: { url: "https://news.example/story" } },
    });
    expect(review).not.toHaveProperty("dateModified");
    expect((await version(s, 1)).body).toBe(res.body);
    expect((await version(s, 2)).status).toBe(404);
    expect((await version(s, "abc")).status).toBe(404);
    expect((await call(getPublicPage, { params: { team: desk.team.slug, article: "no-such-article" } })).status).toBe(404);
    expect((await call(getPublicPage, { params: { team: "no-such-desk", article: s.article.slug } })).status).toBe(404);
  });

  it("answers exactly the same from the app server's own fast path, which leaves every other request to Next", async () => {
    const server = createServer((req, res) => {
      if (handlePublicPage(req, res)) return;
      res.writeHead(599);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const path = `/p/${desk.team.slug}/${s.article.slug}`;
      const viaRoute = await page(s);
      for (const url of [path, `${path}?ref=share`]) {
        const fast = await fetch(`${base}${url}`);
        expect(fast.status).toBe(200);
        expect(await fast.text()).toBe(viaRoute.body);
        for (const header of ["content-type", "content-security-policy", "cache-control", "x-content-type-options"]) {
          expect(fast.headers.get(header), header).toBe(viaRoute.headers.get(header));
        }
      }
      const head = await fetch(`${base}${path}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      expect((await fetch(`${base}${path}/v/1`)).status).toBe(200);
      expect((await fetch(`${base}${path}/v/9`)).status).toBe(404);
      expect((await fetch(`${base}/p/${desk.team.slug}/no-such-article`)).status).toBe(404);
      for (const other of [`${path}/`, "/p/x", "/api/health", `${path}/v/1/x`]) expect((await fetch(`${base}${other}`)).status, other).toBe(599);
      expect((await fetch(`${base}${path}`, { method: "POST" })).status).toBe(599);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("refuses a republish without a correction note", async () => {
    const res = await publish(desk.users.editor, s.article.id, { claimIds: [jobs] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual({ field: "correction" });
    expect((await publish(desk.users.editor, s.article.id, { claimIds: [jobs], correction: "   " })).status).toBe(400);
    expect(await countRows(publications, s.article.id)).toBe(1);
  });

  it("republishes with a correction after a changed verdict is approved again: the log, dateModified, and version 1 unchanged", async () => {
    const { checker, editor } = desk.users;
    await s.as(checker, "review", (doc) => updateClaim(doc, jobs, { by: checker.id, patch: { verdict: "mostly-false" } }));
    const held = await publish(editor, s.article.id, { claimIds: [jobs, countries], correction: "The ONS revised its figure." });
    expect(held.status).toBe(409);
    expect(held.body.error.details.claims.map((c: { id: string }) => c.id)).toEqual([jobs, countries]);

    await s.as(editor, "review", (doc) => approveClaim(doc, jobs, { by: editor.id }));
    await s.as(editor, "review", (doc) => approveClaim(doc, countries, { by: editor.id }));
    const res = await publish(editor, s.article.id, { claimIds: [jobs, countries], correction: "The ONS revised its figure." });
    expect(res.status).toBe(201);
    expect(res.body.publication).toMatchObject({ number: 2, correction: "The ONS revised its figure.", claimCount: 2 });

    const doc = parseHtml((await page(s)).body);
    const entry = doc.querySelector(".corrections li")!;
    expect(entry.textContent).toContain("The ONS revised its figure.");
    expect(entry.textContent).toContain(`Verdict on “${JOBS}”: False → Mostly false`);
    expect(entry.textContent).toContain(`Claim added: “${COUNTRIES}”`);
    const at = entry.querySelector("time")!.getAttribute("datetime");
    expect(new Date(at!).getTime()).toBeGreaterThan(0);
    const reviews = jsonLdOf(doc);
    expect(reviews.map((r) => (r.reviewRating as { alternateName: string }).alternateName)).toEqual(["Mostly false", "Mostly true"]);
    expect(reviews[0]!.dateModified).toBe(at);
    expect(doc.querySelector("meta[property='article:modified_time']")?.getAttribute("content")).toBe(at);

    const first = parseHtml((await version(s, 1)).body);
    expect(first.querySelector(`#review-${jobs} .verdict`)?.textContent).toBe("Verdict: False");
    expect(first.querySelector(".corrections")).toBeNull();
    expect([...doc.querySelectorAll(".versions a")].map((a) => a.getAttribute("href"))).toEqual([`/p/${desk.team.slug}/${s.article.slug}/v/1`]);
    expect((await auditOf(s.article.id)).at(-1)).toMatchObject({ action: "article.republish", data: { number: 2, correction: "The ONS revised its figure." } });
  });

  it("unpublishes: the page and every version answer 410 with the reason; a later publish is a republish", async () => {
    const { editor } = desk.users;
    const res = await unpublish(editor, s.article.id, { reason: "The source retracted the interview." });
    expect(res.status).toBe(200);
    expect(res.body.publication).toMatchObject({ number: 2, unpublishReason: "The source retracted the interview.", unpublishedAt: expect.any(String) });
    for (const gone of [await page(s), await version(s, 1), await version(s, 2)]) {
      expect(gone.status).toBe(410);
      expect(gone.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
      const doc = parseHtml(gone.body);
      expect(doc.querySelector("h1")?.textContent).toBe("This fact check has been unpublished");
      expect(doc.body.textContent).toContain("The source retracted the interview.");
      expect(doc.body.textContent).not.toContain(JOBS);
    }
    expect((await unpublish(editor, s.article.id, { reason: "again" })).status).toBe(409);
    expect((await list(desk.users.viewer, s.article.id)).body.status).toBe("unpublished");
    expect((await auditOf(s.article.id)).at(-1)).toMatchObject({ action: "article.unpublish", actorId: editor.id, data: { number: 2, reason: "The source retracted the interview." } });
    const [revision] = await app.db.select().from(revisions).where(eq(revisions.articleId, s.article.id)).orderBy(asc(revisions.number)).then((rows) => rows.slice(-1));
    expect(revision).toMatchObject({ kind: "system", reason: "publication", label: "Unpublished (version 2)" });

    expect((await publish(editor, s.article.id, { claimIds: [jobs] })).status).toBe(400);
    const back = await publish(editor, s.article.id, { claimIds: [jobs], correction: "Republished after the broadcaster restored the interview." });
    expect(back.status).toBe(201);
    expect(back.body.publication.number).toBe(3);
    expect((await page(s)).status).toBe(200);
    expect((await version(s, 2)).status).toBe(200);
    const doc = parseHtml((await page(s)).body);
    expect([...doc.querySelectorAll(".corrections > ol > li")].map((li) => li.id)).toEqual(["correction-3", "correction-2"]);
    expect(doc.querySelector("#correction-3")?.textContent).toContain(`Claim removed: “${COUNTRIES}”`);
    const listed = await list(desk.users.viewer, s.article.id);
    expect(listed.body.publications.map((p: { number: number }) => p.number)).toEqual([3, 2, 1]);
    expect(listed.body.status).toBe("published");
  });
});

describe("exports", () => {
  let s: Session;
  let jobs: string;
  beforeAll(async () => {
    ({ s, jobs } = await deskSession("Export me"));
    await s.as(desk.users.commenter, "review", (doc) =>
      void createThread(doc, { kind: "comment", anchor: s.anchor("Critics called"), by: desk.users.commenter.id, message: { body: "Which critics?", mentions: [] } }),
    );
  });

  it("exports a W3C Web Annotation collection with verdicts, evidence and (for members) internal threads", async () => {
    const res = await exportAs(desk.users.viewer, s.article.id, "w3c");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/ld+json");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${s.article.slug}-annotations.jsonld"`);
    const body = typeof res.body === "string" ? JSON.parse(res.body) : res.body;
    expect(body).toMatchObject({ "@context": "http://www.w3.org/ns/anno.jsonld", type: "AnnotationCollection", first: { type: "AnnotationPage" } });
    const items = body.first.items as { motivation: string; target: unknown; body?: { value?: string }[] }[];
    expect(items.map((a) => a.motivation).sort()).toEqual(["assessing", "assessing", "commenting", "linking"]);
    const comment = items.find((a) => a.motivation === "commenting")!;
    expect(comment.body?.[0]?.value).toBe("Which critics?");
    expect(comment.target).toMatchObject({ source: "https://news.example/story", selector: { type: "TextQuoteSelector", exact: "Critics called" } });
  });

  it("exports ClaimReview JSON for every claim with a verdict, approved or not", async () => {
    const res = await exportAs(desk.users.viewer, s.article.id, "claimreview");
    expect(res.status).toBe(200);
    const body = typeof res.body === "string" ? JSON.parse(res.body) : res.body;
    expect(body.map((r: { claimReviewed: string }) => r.claimReviewed)).toEqual([JOBS, COUNTRIES]);
    expect(body[0]).toMatchObject({ "@type": "ClaimReview", url: `http://localhost:3000/p/${desk.team.slug}/${s.article.slug}#claim-${jobs}` });
  });

  it("exports the annotated article as Markdown with footnotes", async () => {
    const res = await exportAs(desk.users.viewer, s.article.id, "markdown");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(res.body).toContain("# Export me");
    expect(res.body).toContain(`The minister said ${JOBS}[^1], the largest drop on record.`);
    expect(res.body).toContain(`[^1]: **False.** “${JOBS}”`);
    expect(res.body).toContain("[^2]: **Mostly true.** (In review)");
    expect(res.body).not.toContain("Which critics?");
  });
});
