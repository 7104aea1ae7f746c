import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUT as putSettings } from "@/app/api/teams/[team]/settings/route";
import { listAuditEvents } from "@/db/queries/audit";
import { countClaimsByArticle } from "@/db/queries/review";
import { listRevisions, findLatestRevision } from "@/db/queries/revisions";
import type { Article } from "@/db/schema";
import {
  addEvidence,
  approvalStatus,
  approveClaim,
  claimFingerprint,
  createThread,
  effectiveClaimState,
  readThread,
  sendBackClaim,
  updateClaim,
} from "@/model/review";
import type { AuditAction } from "@/model/schemas/audit";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { call, createDesk, type TestDesk, type TestUser } from "../../support/api";
import { connectClient, createTextArticle, destroyAll, eventually, startCollab, type CollabHarness, type TestClient } from "../../support/collab";
import { anchorOn, expectOneRefusal, projectedClaims, refusal, storedThreads } from "../../support/review";
import { useTestApp } from "../../support/test-database";

const app = useTestApp();

let server: CollabHarness;
let desk: TestDesk;
/** A second editor of the desk, who approves what the first one or the checker did. */
let secondEditor: TestUser;

const TEXT = "The minister said unemployment fell by 40 percent last year, the largest drop on record.";
const CLAIM_PHRASE = "unemployment fell by 40 percent last year";
const EVIDENCE = {
  url: "https://www.ons.gov.uk/employmentandlabourmarket/peoplenotinwork/unemployment",
  title: "Unemployment, UK: March 2024",
  publisher: "Office for National Statistics",
  stance: "refutes" as const,
  note: "The fall was 4 percent, not 40.",
};

beforeAll(async () => {
  server = await startCollab({ db: app.db });
  desk = await createDesk(app, "Approval Desk");
  secondEditor = desk.users.owner;
});

afterAll(async () => {
  await server?.close();
});

interface Scenario {
  article: Article;
  claimId: string;
  clients: TestClient[];
  review(user: TestUser): Promise<TestClient>;
}

/**
 * An article with one claim on it, researched by `verdictBy` (the desk's checker unless said
 * otherwise): a verdict, a rationale, one piece of evidence, and the claim sent for review.
 */
async function scenario(d: TestDesk = desk, verdictBy: TestUser = d.users.checker): Promise<Scenario> {
  const article = await createTextArticle(app.db, { teamId: d.team.id, createdBy: d.users.editor.id, text: TEXT });
  const clients: TestClient[] = [];
  const body = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "body", user: d.users.viewer });
  clients.push(body);
  const review = async (user: TestUser) => {
    const client = await connectClient({ serverUrl: server.serverUrl, articleId: article.id, room: "review", user });
    clients.push(client);
    return client;
  };
  const researcher = await review(verdictBy);
  const claimId = createThread(researcher.doc, { kind: "claim", anchor: anchorOn(body.doc, CLAIM_PHRASE), by: verdictBy.id, claim: { claimant: "The minister" } });
  addEvidence(researcher.doc, claimId, { by: verdictBy.id, evidence: EVIDENCE });
  updateClaim(researcher.doc, claimId, { by: verdictBy.id, patch: { verdict: "false", rationale: "The ONS series shows a 4 percent fall.", state: "in_review" } });
  await eventually(async () => expect((await storedThreads(app.db, article.id)).find((t) => t.id === claimId)?.claim?.state).toBe("in_review"), 10_000, 100);
  return { article, claimId, clients, review };
}

async function auditOf(teamId: string, action: AuditAction, articleId: string) {
  const events = await listAuditEvents(app.db, { teamId, action, limit: 50 });
  return events.filter((e) => e.targetId === articleId);
}

async function approvalRevisions(teamId: string, articleId: string) {
  const rows = await listRevisions(app.db, { teamId, articleId, limit: 50 });
  return rows.filter((r) => r.reason === "approval");
}

describe("approving a claim", () => {
  it("refuses the verdict's author (4422, nothing stored) while the desk setting is off, and accepts them once it is on", async () => {
    const selfDesk = await createDesk(app, "Self Approval Desk");
    const s = await scenario(selfDesk, selfDesk.users.editor);
    try {
      const [author, watcher] = [s.clients[1]!, await s.review(selfDesk.users.checker)];
      approveClaim(author.doc, s.claimId, { by: selfDesk.users.editor.id });
      const close = await refusal(author);
      expect(close.reason).toMatch(/another editor must approve/);

      // A later honest change reaches everyone; the refused approval never did.
      updateClaim(watcher.doc, s.claimId, { by: selfDesk.users.checker.id, patch: { claimant: "The labour minister" } });
      await eventually(async () => {
        const stored = (await storedThreads(app.db, s.article.id)).find((t) => t.id === s.claimId)!;
        expect(stored.claim).toMatchObject({ claimant: "The labour minister", state: "in_review" });
        expect(stored.claim?.approval ?? null).toBeNull();
      }, 10_000, 100);
      expect(readThread(watcher.doc, s.claimId)!.claim?.approval ?? null).toBeNull();
      expectOneRefusal(author, /another editor/);
      expect(await auditOf(selfDesk.team.id, "claim.approve", s.article.id)).toEqual([]);
      expect(await approvalRevisions(selfDesk.team.id, s.article.id)).toEqual([]);

      const put = await call(putSettings, {
        method: "PUT",
        as: selfDesk.users.owner,
        params: { team: selfDesk.team.slug },
        json: { verdictScale: DEFAULT_VERDICT_SCALE, allowSelfApproval: true },
      });
      expect(put.status).toBe(200);

      // A new connection makes the room read the desk's settings again.
      const again = await s.review(selfDesk.users.editor);
      approveClaim(again.doc, s.claimId, { by: selfDesk.users.editor.id });
      await eventually(() => expect(approvalStatus(readThread(watcher.doc, s.claimId)!)).toBe("approved"));
      expect(again.closes).toEqual([]);
      await eventually(async () => {
        const stored = (await storedThreads(app.db, s.article.id)).find((t) => t.id === s.claimId)!;
        expect(stored.claim?.approval).toMatchObject({ by: selfDesk.users.editor.id, verdict: "false" });
        expect(approvalStatus(stored)).toBe("approved");
      }, 10_000, 100);
      await eventually(async () => expect(await auditOf(selfDesk.team.id, "claim.approve", s.article.id)).toHaveLength(1), 10_000, 100);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("refuses an approval by a checker, even one who did not set the verdict", async () => {
    const s = await scenario(desk, desk.users.editor);
    try {
      const checker = await s.review(desk.users.checker);
      approveClaim(checker.doc, s.claimId, { by: desk.users.checker.id });
      expect((await refusal(checker)).reason).toMatch(/editors and owners may approve/);
      const editor = await s.review(desk.users.editor);
      updateClaim(editor.doc, s.claimId, { by: desk.users.editor.id, patch: { claimant: "Marker" } });
      await eventually(async () => {
        const stored = (await storedThreads(app.db, s.article.id)).find((t) => t.id === s.claimId)!;
        expect(stored.claim).toMatchObject({ claimant: "Marker", state: "in_review" });
        expect(stored.claim?.approval ?? null).toBeNull();
      }, 10_000, 100);
      expect(await auditOf(desk.team.id, "claim.approve", s.article.id)).toEqual([]);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("records an approval in the audit log and as a system revision 'approval' holding the approved claim", async () => {
    const s = await scenario();
    try {
      const approver = await s.review(secondEditor);
      approveClaim(approver.doc, s.claimId, { by: secondEditor.id });
      const [event] = await eventually(async () => {
        const events = await auditOf(desk.team.id, "claim.approve", s.article.id);
        expect(events).toHaveLength(1);
        return events;
      }, 10_000, 100);
      expect(event).toMatchObject({ actorId: secondEditor.id, targetType: "article", targetId: s.article.id, data: { threadId: s.claimId, verdict: "false", quote: CLAIM_PHRASE } });

      const [revision] = await eventually(async () => {
        const rows = await approvalRevisions(desk.team.id, s.article.id);
        expect(rows).toHaveLength(1);
        return rows;
      }, 10_000, 100);
      expect(revision).toMatchObject({ kind: "system", reason: "approval", createdBy: secondEditor.id });
      const latest = await findLatestRevision(app.db, { teamId: desk.team.id, articleId: s.article.id });
      const kept = latest!.content.threads.find((t) => t.id === s.claimId)!;
      expect(kept.claim?.approval).toMatchObject({ by: secondEditor.id, verdict: "false", covers: claimFingerprint(kept) });
      expect(approver.closes).toEqual([]);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("is voided by a later change to the evidence: the claim reads in review everywhere, and the projection shows it", async () => {
    const s = await scenario();
    try {
      const checker = s.clients[1]!;
      const approver = await s.review(secondEditor);
      approveClaim(approver.doc, s.claimId, { by: secondEditor.id });
      await eventually(() => expect(approvalStatus(readThread(checker.doc, s.claimId)!)).toBe("approved"));
      await projectedClaims(app.db, { teamId: desk.team.id, articleId: s.article.id }, (claims) => expect(claims.map((c) => c.state)).toEqual(["approved"]));
      expect((await countClaimsByArticle(app.db, { teamId: desk.team.id })).get(s.article.id)?.byState).toEqual({ approved: 1 });

      addEvidence(checker.doc, s.claimId, { by: desk.users.checker.id, evidence: { ...EVIDENCE, url: "https://www.ons.gov.uk/other-table", title: "Another table", stance: "context" } });
      for (const client of [checker, approver]) {
        await eventually(() => {
          const thread = readThread(client.doc, s.claimId)!;
          expect(approvalStatus(thread)).toBe("void");
          expect(effectiveClaimState(thread)).toBe("in_review");
          // The approval stays, void, so the history shows what had been approved.
          expect(thread.claim?.approval?.by).toBe(secondEditor.id);
        });
      }
      await eventually(async () => {
        const stored = (await storedThreads(app.db, s.article.id)).find((t) => t.id === s.claimId)!;
        expect(Object.keys(stored.evidence!)).toHaveLength(2);
        expect(approvalStatus(stored)).toBe("void");
        expect(effectiveClaimState(stored)).toBe("in_review");
      }, 10_000, 100);
      await projectedClaims(app.db, { teamId: desk.team.id, articleId: s.article.id }, (claims) => expect(claims.map((c) => c.state)).toEqual(["in_review"]));
      expect((await countClaimsByArticle(app.db, { teamId: desk.team.id })).get(s.article.id)?.byState).toEqual({ in_review: 1 });
      expect(checker.closes).toEqual([]);
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("is voided by a checker's offline change that reaches the server after it", async () => {
    const s = await scenario();
    try {
      const checker = s.clients[1]!;
      checker.provider.disconnect();
      updateClaim(checker.doc, s.claimId, { by: desk.users.checker.id, patch: { rationale: "Written offline." } });
      const approver = await s.review(secondEditor);
      approveClaim(approver.doc, s.claimId, { by: secondEditor.id });
      await eventually(async () => expect(approvalStatus((await storedThreads(app.db, s.article.id)).find((t) => t.id === s.claimId)!)).toBe("approved"), 10_000, 100);
      checker.provider.connect();
      for (const client of [checker, approver]) {
        await eventually(() => {
          const thread = readThread(client.doc, s.claimId)!;
          expect(thread.claim?.rationale).toBe("Written offline.");
          expect(approvalStatus(thread)).toBe("void");
          expect(effectiveClaimState(thread)).toBe("in_review");
        });
      }
      expect(checker.closes.filter((c) => c.code >= 4000)).toEqual([]);
      await projectedClaims(app.db, { teamId: desk.team.id, articleId: s.article.id }, (claims) => expect(claims.map((c) => c.state)).toEqual(["in_review"]));
    } finally {
      destroyAll(...s.clients);
    }
  });

  it("sends a claim back: the approval is withdrawn, the claim is researching again with the comment, and the audit log and history record it", async () => {
    const s = await scenario();
    try {
      const checker = s.clients[1]!;
      const approver = await s.review(secondEditor);
      approveClaim(approver.doc, s.claimId, { by: secondEditor.id });
      await eventually(() => expect(approvalStatus(readThread(checker.doc, s.claimId)!)).toBe("approved"));
      await eventually(async () => expect(await approvalRevisions(desk.team.id, s.article.id)).toHaveLength(1), 10_000, 100);

      // A checker may not send it back.
      const rogue = await s.review(desk.users.checker);
      sendBackClaim(rogue.doc, s.claimId, { by: desk.users.checker.id, comment: "I changed my mind." });
      expect((await refusal(rogue)).reason).toMatch(/send back/);

      sendBackClaim(approver.doc, s.claimId, { by: secondEditor.id, comment: "Quote the table number in the rationale." });
      await eventually(() => {
        const thread = readThread(checker.doc, s.claimId)!;
        expect(thread.claim).toMatchObject({ approval: null, state: "researching" });
        expect(Object.values(thread.messages).map((m) => [m.authorId, m.body])).toEqual([[secondEditor.id, "Quote the table number in the rationale."]]);
      });
      await eventually(async () => expect(await auditOf(desk.team.id, "claim.send_back", s.article.id)).toMatchObject([
        { actorId: secondEditor.id, data: { threadId: s.claimId, verdict: "false" } },
      ]), 10_000, 100);
      await eventually(async () => expect(await approvalRevisions(desk.team.id, s.article.id)).toHaveLength(2), 10_000, 100);
      await projectedClaims(app.db, { teamId: desk.team.id, articleId: s.article.id }, (claims) => expect(claims.map((c) => c.state)).toEqual(["researching"]));
      expect(approver.closes).toEqual([]);
    } finally {
      destroyAll(...s.clients);
    }
  });
});
