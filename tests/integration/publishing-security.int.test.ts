import { beforeAll, describe, expect, it } from "vitest";
import { GET as getExport } from "@/app/api/articles/[id]/export/route";
import { POST as postPublication } from "@/app/api/articles/[id]/publications/route";
import { GET as getPublicPage } from "@/app/p/[team]/[article]/route";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { addEvidence, addMessage, approveClaim, createThread, updateClaim } from "@/model/review";
import { call, createDesk, type TestDesk } from "../support/api";
import { useTestApp } from "../support/test-database";
import { jsonLdOf, parseHtml, startSession, type Session } from "./publishing-support";

const app = useTestApp();

const SCRIPT = `<script>alert("script")</script>`;
const ONERROR = `<img src=x onerror="alert('onerror')">`;
const JS_URL = "javascript:alert('url')";
const PAYLOAD = `${SCRIPT} ${ONERROR} ${JS_URL}`;

// The text carries the payloads as text, and a link whose target is a javascript: URL.
const CONTENT: ProseMirrorJson = {
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: `The mayor said crime halved. ${PAYLOAD}` }] },
    { type: "paragraph", content: [{ type: "text", text: "Read the statement", marks: [{ type: "link", attrs: { href: JS_URL } }] }, { type: "text", text: " here." }] },
  ],
};

let desk: TestDesk;
let s: Session;
let claimId: string;

beforeAll(async () => {
  desk = await createDesk(app, "Security Desk");
  const { checker, editor, commenter } = desk.users;
  s = await startSession(app, { teamId: desk.team.id, createdBy: editor.id, title: `Crime ${SCRIPT}`, content: CONTENT });
  await s.as(checker, "review", (doc) => {
    claimId = createThread(doc, { kind: "claim", anchor: s.anchor(`crime halved. ${SCRIPT}`), by: checker.id, message: { body: PAYLOAD, mentions: [] }, claim: { claimant: ONERROR } });
  });
  await s.as(checker, "review", (doc) => updateClaim(doc, claimId, { by: checker.id, patch: { verdict: "false", rationale: PAYLOAD, state: "in_review" } }));
  await s.as(checker, "review", (doc) =>
    void addEvidence(doc, claimId, {
      by: checker.id,
      // An http(s) URL is all the review schema lets in; this one carries the payloads in its path and query.
      evidence: { url: `https://evil.example/"><script>alert(1)</script>?next=${JS_URL}&x=" onerror="alert(2)`, title: PAYLOAD, publisher: ONERROR, stance: "refutes", note: SCRIPT },
    }),
  );
  await s.as(commenter, "review", (doc) => void addMessage(doc, claimId, { by: commenter.id, body: `Internal: ${PAYLOAD}`, mentions: [] }));
  await s.as(commenter, "review", (doc) => void createThread(doc, { kind: "comment", anchor: s.anchor("Read the statement"), by: commenter.id, message: { body: `Comment ${PAYLOAD}`, mentions: [] } }));
  await s.as(editor, "review", (doc) => approveClaim(doc, claimId, { by: editor.id }));
  const res = await call(postPublication, { as: editor, params: { id: s.article.id }, json: { claimIds: [claimId] } });
  expect(res.status).toBe(201);
});

describe("a published page whose text, comment, evidence title and URL carry script payloads", () => {
  it("holds none of them as markup: no script but JSON-LD, no event handler, no javascript: URL, nothing loaded", async () => {
    const res = await call(getPublicPage, { params: { team: desk.team.slug, article: s.article.slug } });
    expect(res.status).toBe(200);
    const doc = parseHtml(res.body);

    const scripts = [...doc.querySelectorAll("script")];
    expect(scripts.length).toBe(1);
    expect(scripts[0]!.getAttribute("type")).toBe("application/ld+json");
    for (const element of doc.querySelectorAll("*")) {
      for (const name of element.getAttributeNames()) {
        expect(name.toLowerCase().startsWith("on"), `<${element.tagName.toLowerCase()} ${name}>`).toBe(false);
        expect(element.getAttribute(name)?.trim().toLowerCase().startsWith("javascript:"), `<${element.tagName.toLowerCase()} ${name}>`).toBe(false);
      }
    }
    expect(doc.querySelectorAll("img, iframe, object, embed, form, base, svg, math")).toHaveLength(0);
    for (const link of doc.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href")!;
      expect(href).toMatch(/^(https?:\/\/|#|\/)/);
      if (href.startsWith("http")) expect(link.getAttribute("rel")).toBe("nofollow noopener");
    }
    // The link whose target was javascript: is plain text now.
    const statement = [...doc.querySelectorAll("p")].find((p) => p.textContent === "Read the statement here.")!;
    expect(statement.querySelector("a")).toBeNull();
    // The evidence link kept its (escaped, percent-encoded) https target.
    const evidence = doc.querySelector(".evidence a")!;
    expect(evidence.getAttribute("href")).toMatch(/^https:\/\/evil\.example\//);
    expect(evidence.textContent).toBe(PAYLOAD);
  });

  it("shows the payloads as the text they are, and never the internal threads", async () => {
    const doc = parseHtml((await call(getPublicPage, { params: { team: desk.team.slug, article: s.article.slug } })).body);
    const text = doc.body.textContent ?? "";
    const first = doc.querySelector(".article-text p")!;
    first.querySelector(".claim-ref")?.remove(); // the reference to the claim's review, "[1]"
    expect(first.textContent).toBe(`The mayor said crime halved. ${PAYLOAD}`);
    expect(doc.querySelector("h1")?.textContent).toBe(`Crime ${SCRIPT}`);
    expect(doc.querySelector(`#review-${claimId} .meta`)?.textContent).toBe(`Said by ${ONERROR}`);
    expect(doc.querySelector(`#review-${claimId}`)?.textContent).toContain(PAYLOAD);
    expect(doc.getElementById(`claim-${claimId}`)?.textContent).toBe(`crime halved. ${SCRIPT}`);
    expect(text).not.toContain("Internal:");
    expect(text).not.toContain("Comment <script>");
    const [review] = jsonLdOf(doc);
    expect(review).toMatchObject({ claimReviewed: `crime halved. ${SCRIPT}`, reviewRating: { ratingExplanation: PAYLOAD }, itemReviewed: { author: { name: ONERROR } } });
  });

  it("escapes the payloads in the Markdown export too", async () => {
    const res = await call(getExport, { as: desk.users.viewer, params: { id: s.article.id }, query: { format: "markdown" } });
    expect(res.status).toBe(200);
    const md = res.body as string;
    expect(md).not.toMatch(/(^|[^\\])<(script|img)/);
    expect(md).not.toContain("](<javascript:");
    expect(md).toContain("Read the statement here.");
  });
});
