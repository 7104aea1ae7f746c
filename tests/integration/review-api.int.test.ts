import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { GET as getClaims } from "@/app/api/articles/[id]/claims/route";
import { GET as getSettings, PUT as putSettings } from "@/app/api/teams/[team]/settings/route";
import { replaceReviewThreads } from "@/db/queries/review";
import { auditEvents, teams, type Article } from "@/db/schema";
import { addEvidence, addMessage, createThread, readThreads, updateClaim } from "@/model/review";
import { ROLES } from "@/model/roles";
import { DEFAULT_VERDICT_SCALE, type VerdictScale } from "@/model/verdict-scale";
import { call, createDesk, type TestDesk, type TestUser } from "../support/api";
import { createTextArticle } from "../support/collab";
import { anchorOn, SATIRE, scaleWith, seededBody } from "../support/review";
import { useTestApp } from "../support/test-database";

const app = useTestApp();

const TEXT = "The minister said unemployment fell by 40 percent last year.\n\nMore than 16,000 foreign terrorist fighters from more than 90 countries travelled to the region.";

async function storedSettings(teamId: string): Promise<unknown> {
  const [row] = await app.db.select({ settings: teams.settings }).from(teams).where(eq(teams.id, teamId));
  return row?.settings;
}

describe("GET/PUT /api/teams/:team/settings", () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await createDesk(app, "Settings Desk");
  });

  const get = (as?: TestUser, team = desk.team.slug) => call(getSettings, { as, params: { team } });
  const put = (as: TestUser | undefined, json: unknown, team = desk.team.slug) => call(putSettings, { method: "PUT", as, params: { team }, json });

  it("shows the default scale to every member, and to nobody else", async () => {
    for (const role of ROLES) {
      const res = await get(desk.users[role]);
      expect(res.status, role).toBe(200);
      expect(res.body.settings).toEqual({ verdictScale: DEFAULT_VERDICT_SCALE, allowSelfApproval: false });
    }
    expect(DEFAULT_VERDICT_SCALE.map((v) => v.label)).toEqual(["True", "Mostly true", "Mixed", "Mostly false", "False", "Misleading", "Unverifiable"]);
    expect(await get(undefined)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(await get(desk.outsider)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await get(desk.users.owner, "no-such-desk")).toMatchObject({ status: 404 });
  });

  it("lets only owners replace the scale", async () => {
    const withSatire = scaleWith(SATIRE);
    for (const role of ["editor", "checker", "commenter", "viewer"] as const) {
      const res = await put(desk.users[role], { verdictScale: withSatire, allowSelfApproval: true });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
    expect((await put(undefined, { verdictScale: withSatire })).status).toBe(401);
    expect((await put(desk.outsider, { verdictScale: withSatire })).status).toBe(404);
    expect((await get(desk.users.viewer)).body.settings.verdictScale).toEqual(DEFAULT_VERDICT_SCALE);

    const res = await put(desk.users.owner, { verdictScale: withSatire, allowSelfApproval: true });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ verdictScale: withSatire, allowSelfApproval: true });
    const after = await get(desk.users.viewer);
    expect(after.body.settings.verdictScale.map((v: { key: string }) => v.key)).toEqual([...DEFAULT_VERDICT_SCALE.map((v) => v.key), "satire"]);
    expect(after.body.settings.allowSelfApproval).toBe(true);
    expect(await storedSettings(desk.team.id)).toEqual({ verdictScale: withSatire, allowSelfApproval: true });

    const trail = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, desk.team.id), eq(auditEvents.action, "team.settings")))
      .orderBy(asc(auditEvents.id));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorId: desk.users.owner.id, targetType: "team", targetId: desk.team.id });

    // A replacement, not a merge: a shorter scale drops the rest.
    const short: VerdictScale = [DEFAULT_VERDICT_SCALE[0]!, DEFAULT_VERDICT_SCALE[4]!];
    const replaced = await put(desk.users.owner, { verdictScale: short, allowSelfApproval: false });
    expect(replaced.status).toBe(200);
    expect((await get(desk.users.editor)).body.settings).toEqual({ verdictScale: short, allowSelfApproval: false });
  });

  it("refuses malformed scales with 400 and keeps the stored one", async () => {
    const before = await storedSettings(desk.team.id);
    const base = DEFAULT_VERDICT_SCALE;
    const malformed: [string, unknown][] = [
      ["duplicate keys", { verdictScale: [...base, { ...SATIRE, key: "true" }] }],
      ["duplicate labels", { verdictScale: [...base, { ...SATIRE, label: "false" }] }],
      ["a colour that is not hex", { verdictScale: [...base, { ...SATIRE, colour: "blue" }] }],
      ["a short hex colour", { verdictScale: [...base, { ...SATIRE, colour: "#36c" }] }],
      ["a key with capitals and spaces", { verdictScale: [...base, { ...SATIRE, key: "Pure Satire" }] }],
      ["an unknown field on a verdict", { verdictScale: [...base, { ...SATIRE, emoji: "🎭" }] }],
      ["a rating out of range", { verdictScale: [...base, { ...SATIRE, ratingValue: 11 }] }],
      ["an empty definition", { verdictScale: [...base, { ...SATIRE, definition: "   " }] }],
      ["a scale of one", { verdictScale: [base[0]] }],
      ["a scale that is not a list", { verdictScale: { true: base[0] } }],
      ["a non-boolean self-approval", { verdictScale: base, allowSelfApproval: "yes" }],
      // A PUT replaces everything, so nothing may be left out or misspelt (it would silently reset).
      ["an empty body", {}],
      ["a missing self-approval", { verdictScale: base }],
      ["a misspelt field", { verdictscale: base, allowSelfApproval: false }],
    ];
    for (const [name, json] of malformed) {
      const res = await put(desk.users.owner, json);
      expect(res.status, name).toBe(400);
      expect(res.body.error.code, name).toBe("bad_request");
    }
    expect((await call(putSettings, { method: "PUT", as: desk.users.owner, params: { team: desk.team.slug }, rawBody: "{", contentType: "application/json" })).status).toBe(400);
    expect((await call(putSettings, { method: "PUT", as: desk.users.owner, params: { team: desk.team.slug }, rawBody: "verdictScale=x", contentType: "text/plain" })).status).toBe(415);
    expect(await storedSettings(desk.team.id)).toEqual(before);
  });
});

describe("GET /api/articles/:id/claims", () => {
  let desk: TestDesk;
  let article: Article;
  let other: Article;
  let claimId: string;
  let evidenceIds: string[];

  beforeAll(async () => {
    desk = await createDesk(app, "Claims Desk");
    const { checker, editor, commenter } = desk.users;
    article = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: editor.id, text: TEXT });
    other = await createTextArticle(app.db, { teamId: desk.team.id, createdBy: editor.id, text: TEXT });

    // A review document as the desk would have written it, projected the way the collaboration server does.
    const body = seededBody(TEXT);
    const review = new Y.Doc();
    claimId = createThread(review, {
      kind: "claim",
      anchor: anchorOn(body, "16,000 foreign terrorist fighters"),
      by: checker.id,
      message: { body: "Source?", mentions: [] },
      claim: { claimant: "UN report", appearedIn: "Press release", appearedOn: "2015-05-01" },
    });
    createThread(review, { kind: "comment", anchor: anchorOn(body, "unemployment fell"), by: commenter.id, message: { body: "Odd wording", mentions: [] } });
    evidenceIds = [
      addEvidence(review, claimId, {
        by: editor.id,
        evidence: { url: "https://www.un.org/sc/ctc/", title: "CTC report", publisher: "UN", stance: "supports", note: "" },
      }),
      addEvidence(review, claimId, {
        by: checker.id,
        evidence: { url: "http://example.org/fighters", title: "Estimate", publisher: "Example", stance: "context", note: "Different method" },
      }),
    ];
    addMessage(review, claimId, { by: commenter.id, body: "The UN says so.", mentions: [] });
    updateClaim(review, claimId, { by: checker.id, patch: { verdict: "mostly-true", state: "in_review" } });
    const threads = readThreads(review);
    await replaceReviewThreads(app.db, { articleId: article.id, teamId: desk.team.id, threadIds: threads.map((t) => t.id), threads });

    // Another article's claim must not show up.
    const otherReview = new Y.Doc();
    createThread(otherReview, { kind: "claim", anchor: anchorOn(body, "more than 90 countries"), by: checker.id });
    const otherThreads = readThreads(otherReview);
    await replaceReviewThreads(app.db, { articleId: other.id, teamId: desk.team.id, threadIds: otherThreads.map((t) => t.id), threads: otherThreads });
  });

  const claimsOf = (as: TestUser | undefined, id = article.id) => call(getClaims, { as, params: { id } });

  it("needs a session", async () => {
    expect(await claimsOf(undefined)).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
  });

  it("is 404 for a non-member, an unknown article and a malformed id", async () => {
    expect(await claimsOf(desk.outsider)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await claimsOf(desk.users.owner, randomUUID())).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await claimsOf(desk.users.owner, "not-an-id")).toMatchObject({ status: 404 });
    // A member of another desk is a non-member here.
    const elsewhere = await createDesk(app, "Other Claims Desk");
    expect((await claimsOf(elsewhere.users.owner)).status).toBe(404);
  });

  it("lets every member, a viewer included, read the article's claims with quotes, verdicts and evidence", async () => {
    for (const role of ROLES) expect((await claimsOf(desk.users[role])).status, role).toBe(200);
    const res = await claimsOf(desk.users.viewer);
    expect(res.body.claims).toHaveLength(1);
    const [claim] = res.body.claims;
    expect(claim).toMatchObject({
      id: claimId,
      quote: "16,000 foreign terrorist fighters",
      claimant: "UN report",
      appearedIn: "Press release",
      appearedOn: "2015-05-01",
      state: "in_review",
      verdict: "mostly-true",
      verdictLabel: "Mostly true",
      resolved: false,
      messageCount: 2,
      createdBy: desk.users.checker.id,
    });
    expect(Date.parse(claim.createdAt)).not.toBeNaN();
    expect(claim.evidence).toHaveLength(2);
    expect(claim.evidence.map((e: { id: string }) => e.id).sort()).toEqual([...evidenceIds].sort());
    expect(claim.evidence).toContainEqual(
      expect.objectContaining({ id: evidenceIds[0], url: "https://www.un.org/sc/ctc/", stance: "supports", publisher: "UN", addedBy: desk.users.editor.id }),
    );
    expect(claim.evidence).toContainEqual(expect.objectContaining({ id: evidenceIds[1], stance: "context", note: "Different method", addedBy: desk.users.checker.id }));

    const otherClaims = await claimsOf(desk.users.viewer, other.id);
    expect(otherClaims.body.claims).toHaveLength(1);
    expect(otherClaims.body.claims[0]).toMatchObject({ verdict: null, verdictLabel: null, state: "open", messageCount: 0, evidence: [] });
  });
});
