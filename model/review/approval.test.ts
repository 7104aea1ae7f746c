import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { approvalStatus, approvalTransition, claimFingerprint, effectiveClaimState } from "./approval";
import { readThread, threadsMap } from "./layout";
import {
  addEvidence,
  addMessage,
  approveClaim,
  createThread,
  removeEvidence,
  sendBackClaim,
  setClaimState,
  updateClaim,
  updateEvidence,
  type EvidenceInput,
} from "./operations";
import type { Approval, Thread } from "./schema";
import { USER, actorAs, reviewDoc, sampleAnchor, validateLocalChange } from "./review.test-helpers";

const CHECKER = USER.me;
const EDITOR = USER.other;
const SECOND_EDITOR = USER.third;

const EVIDENCE: EvidenceInput = { url: "https://www.ons.gov.uk/series", title: "Labour market", publisher: "ONS", stance: "refutes", note: "Table 2" };

/** A claim a checker flagged, researched and gave a verdict, with one piece of evidence. */
function researched() {
  const doc = reviewDoc();
  const claimId = createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: CHECKER, claim: { claimant: "The minister" } });
  const evidenceId = addEvidence(doc, claimId, { by: CHECKER, evidence: EVIDENCE });
  updateClaim(doc, claimId, { by: CHECKER, patch: { verdict: "mostly-false", rationale: "The fall was 4 percent.", state: "in_review" } });
  return { doc, claimId, evidenceId, thread: () => readThread(doc, claimId)! };
}

/** The same claim, approved by an editor who did not set the verdict. */
function approved() {
  const r = researched();
  approveClaim(r.doc, r.claimId, { by: EDITOR });
  return r;
}

/** A copy of `doc` that goes on by itself (offline) until it is merged back. */
function fork(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function merge(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
}

describe("claimFingerprint", () => {
  const base = (): Thread => researched().thread();

  it("is a stable, versioned digest that ignores the order evidence was added in", () => {
    const thread = base();
    expect(claimFingerprint(thread)).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(claimFingerprint(thread)).toBe(claimFingerprint(structuredClone(thread)));
    const second = { ...EVIDENCE, id: "zzzzzzzzzzzz", url: "https://example.org/b", addedBy: EDITOR, addedAt: thread.createdAt };
    const [first] = Object.values(thread.evidence!);
    const forwards = { ...thread, evidence: { [first!.id]: first!, [second.id]: second } };
    const backwards = { ...thread, evidence: { [second.id]: second, [first!.id]: first! } };
    expect(claimFingerprint(forwards)).toBe(claimFingerprint(backwards));
    expect(claimFingerprint(forwards)).not.toBe(claimFingerprint(thread));
  });

  it.each<[string, (t: Thread) => Thread]>([
    ["the verdict", (t) => ({ ...t, claim: { ...t.claim!, verdict: "false" } })],
    ["the rationale", (t) => ({ ...t, claim: { ...t.claim!, rationale: `${t.claim!.rationale} Really.` } })],
    ...(["url", "title", "publisher", "note"] as const).map((field): [string, (t: Thread) => Thread] => [
      `an evidence ${field}`,
      (t) => ({ ...t, evidence: Object.fromEntries(Object.entries(t.evidence!).map(([id, e]) => [id, { ...e, [field]: field === "url" ? "https://example.org/other" : "changed" }])) }),
    ]),
    ["an evidence stance", (t) => ({ ...t, evidence: Object.fromEntries(Object.entries(t.evidence!).map(([id, e]) => [id, { ...e, stance: "context" as const }])) })],
    ["evidence removed", (t) => ({ ...t, evidence: {} })],
  ])("changes with %s", (_name, change) => {
    const thread = base();
    expect(claimFingerprint(change(thread))).not.toBe(claimFingerprint(thread));
  });

  it.each<[string, (t: Thread) => Thread]>([
    ["the claimant", (t) => ({ ...t, claim: { ...t.claim!, claimant: "Someone else" } })],
    ["the state", (t) => ({ ...t, claim: { ...t.claim!, state: "researching" } })],
    ["who changed it last", (t) => ({ ...t, claim: { ...t.claim!, updatedBy: EDITOR, updatedAt: new Date(0).toISOString() } })],
    ["a reply", (t) => ({ ...t, messages: { x: { id: "xxxxxxxxxx", authorId: EDITOR, body: "Looks fine", mentions: [], createdAt: t.createdAt, editedAt: null } } })],
  ])("does not change with %s", (_name, change) => {
    const thread = base();
    expect(claimFingerprint(change(thread))).toBe(claimFingerprint(thread));
  });
});

describe("approving and its status", () => {
  it("a claim without an approval has none and keeps its own state", () => {
    const r = researched();
    expect(approvalStatus(r.thread())).toBe("none");
    expect(effectiveClaimState(r.thread())).toBe("in_review");
  });

  it("records who, when, the verdict and what was covered, and reads as approved", () => {
    const r = approved();
    const approval = r.thread().claim!.approval!;
    expect(approval).toMatchObject({ by: EDITOR, verdict: "mostly-false", covers: claimFingerprint(r.thread()) });
    expect(Date.parse(approval.at)).not.toBeNaN();
    expect(r.thread().claim!.state).toBe("approved");
    expect(approvalStatus(r.thread())).toBe("approved");
    expect(effectiveClaimState(r.thread())).toBe("approved");
  });

  it.each<[string, (r: ReturnType<typeof approved>) => void]>([
    ["a new verdict", (r) => updateClaim(r.doc, r.claimId, { by: CHECKER, patch: { verdict: "false" } })],
    ["a new rationale", (r) => updateClaim(r.doc, r.claimId, { by: CHECKER, patch: { rationale: "Reworded." } })],
    ["added evidence", (r) => void addEvidence(r.doc, r.claimId, { by: CHECKER, evidence: { ...EVIDENCE, url: "https://example.org/more" } })],
    ["changed evidence", (r) => updateEvidence(r.doc, r.claimId, r.evidenceId, { note: "Table 3" })],
    ["removed evidence", (r) => removeEvidence(r.doc, r.claimId, r.evidenceId)],
  ])("is void after %s, and the claim is back in review with the old approval kept", (_name, change) => {
    const r = approved();
    const approval = r.thread().claim!.approval;
    change(r);
    expect(approvalStatus(r.thread())).toBe("void");
    expect(r.thread().claim!.state).toBe("in_review");
    expect(effectiveClaimState(r.thread())).toBe("in_review");
    expect(r.thread().claim!.approval).toEqual(approval);
  });

  it("stays approved when something it does not cover changes", () => {
    const r = approved();
    updateClaim(r.doc, r.claimId, { by: CHECKER, patch: { claimant: "The prime minister" } });
    addMessage(r.doc, r.claimId, { by: CHECKER, body: "Thanks!", mentions: [] });
    expect(approvalStatus(r.thread())).toBe("approved");
    expect(effectiveClaimState(r.thread())).toBe("approved");
  });

  it("is void once the claim is moved out of approved by hand", () => {
    const r = approved();
    setClaimState(r.doc, r.claimId, { by: CHECKER, state: "researching" });
    expect(approvalStatus(r.thread())).toBe("void");
    expect(effectiveClaimState(r.thread())).toBe("researching");
  });

  it("is void after an offline change merged later, whichever order the merge happens in", () => {
    for (const order of ["editor first", "checker first"]) {
      const r = researched();
      const offline = fork(r.doc);
      // The editor approves what they see while a checker, offline, adds evidence to the same claim.
      approveClaim(r.doc, r.claimId, { by: EDITOR });
      addEvidence(offline, r.claimId, { by: CHECKER, evidence: { ...EVIDENCE, url: "https://example.org/offline" } });
      if (order === "editor first") merge(r.doc, offline);
      else merge(offline, r.doc);
      for (const doc of [r.doc, offline]) {
        const thread = readThread(doc, r.claimId)!;
        expect(thread.claim!.state, order).toBe("approved");
        expect(approvalStatus(thread), order).toBe("void");
        expect(effectiveClaimState(thread), order).toBe("in_review");
      }
    }
  });

  it("sending back withdraws the approval, returns the claim to research and says why", () => {
    const r = approved();
    sendBackClaim(r.doc, r.claimId, { by: EDITOR, comment: "  Find the ONS table first.  " });
    const thread = r.thread();
    expect(thread.claim).toMatchObject({ approval: null, state: "researching", updatedBy: EDITOR });
    expect(approvalStatus(thread)).toBe("none");
    expect(Object.values(thread.messages)).toMatchObject([{ authorId: EDITOR, body: "Find the ONS table first." }]);
  });

  it("names the transition between two approvals", () => {
    const approval: Approval = { by: EDITOR, at: new Date(0).toISOString(), covers: "v1:abc", verdict: "false" };
    expect(approvalTransition(null, approval)).toBe("approve");
    expect(approvalTransition(undefined, approval)).toBe("approve");
    expect(approvalTransition(approval, { ...approval, covers: "v1:def" })).toBe("approve");
    expect(approvalTransition(approval, { ...approval })).toBeNull();
    expect(approvalTransition(approval, null)).toBe("send_back");
    expect(approvalTransition(null, undefined)).toBeNull();
  });
});

describe("the approval gate (validation)", () => {
  const approvalMap = (doc: Y.Doc, claimId: string) => threadsMap(doc).get(claimId)!.get("claim") as Y.Map<unknown>;

  it("lets an editor approve a verdict somebody else set", () => {
    const r = researched();
    expect(validateLocalChange(r.doc, actorAs("editor", EDITOR), (doc) => approveClaim(doc, r.claimId, { by: EDITOR }))).toEqual({ ok: true });
    expect(validateLocalChange(r.doc, actorAs("owner", SECOND_EDITOR), (doc) => approveClaim(doc, r.claimId, { by: SECOND_EDITOR }))).toEqual({ ok: true });
  });

  it.each(["viewer", "commenter", "checker"] as const)("refuses an approval by a %s", (role) => {
    const r = researched();
    const verdict = validateLocalChange(r.doc, actorAs(role, SECOND_EDITOR), (doc) => approveClaim(doc, r.claimId, { by: SECOND_EDITOR }));
    expect(verdict).toMatchObject({ ok: false, reason: role === "checker" ? expect.stringMatching(/editors and owners may approve/) : expect.any(String) });
  });

  it("refuses the verdict's author unless the desk allows self-approval", () => {
    const r = researched();
    updateClaim(r.doc, r.claimId, { by: EDITOR, patch: { verdict: "false" } });
    const approve = (doc: Y.Doc) => approveClaim(doc, r.claimId, { by: EDITOR });
    expect(validateLocalChange(r.doc, actorAs("editor", EDITOR), approve)).toMatchObject({ ok: false, reason: expect.stringMatching(/another editor must approve/) });
    const fresh = researched();
    updateClaim(fresh.doc, fresh.claimId, { by: EDITOR, patch: { verdict: "false" } });
    expect(validateLocalChange(fresh.doc, actorAs("editor", EDITOR), (doc) => approveClaim(doc, fresh.claimId, { by: EDITOR }), undefined, { allowSelfApproval: true })).toEqual({ ok: true });
  });

  it("refuses setting the verdict and approving it in one change", () => {
    const r = researched();
    const verdict = validateLocalChange(r.doc, actorAs("editor", EDITOR), (doc) =>
      doc.transact(() => {
        updateClaim(doc, r.claimId, { by: EDITOR, patch: { verdict: "false" } });
        approveClaim(doc, r.claimId, { by: EDITOR });
      }),
    );
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/another editor/) });
  });

  it.each<[string, RegExp, (a: Approval) => Approval]>([
    ["in another person's name", /own name/, (a) => ({ ...a, by: SECOND_EDITOR })],
    ["covering something else", /does not match/, (a) => ({ ...a, covers: "v1:0000" })],
    ["naming another verdict", /name the verdict/, (a) => ({ ...a, verdict: "true" })],
    ["dated in the future", /future/, (a) => ({ ...a, at: new Date(Date.now() + 3_600_000).toISOString() })],
  ])("refuses an approval made by hand %s", (_name, reason, tamper) => {
    const r = researched();
    const verdict = validateLocalChange(r.doc, actorAs("editor", EDITOR), (doc) =>
      doc.transact(() => {
        approveClaim(doc, r.claimId, { by: EDITOR });
        const claim = approvalMap(doc, r.claimId);
        claim.set("approval", tamper(claim.get("approval") as Approval));
      }),
    );
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it("refuses approving a claim without a verdict", () => {
    const doc = reviewDoc();
    const claimId = createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: CHECKER });
    expect(validateLocalChange(doc, actorAs("editor", EDITOR), (d) => approveClaim(d, claimId, { by: EDITOR }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/set one first/),
    });
  });

  it("refuses an approval that leaves the claim unapproved, and a claim marked approved without one", () => {
    const r = researched();
    const keepState = validateLocalChange(r.doc, actorAs("editor", EDITOR), (doc) =>
      doc.transact(() => {
        approveClaim(doc, r.claimId, { by: EDITOR });
        approvalMap(doc, r.claimId).set("state", "in_review");
      }),
    );
    expect(keepState).toMatchObject({ ok: false, reason: expect.stringMatching(/marked approved/) });
    const byHand = validateLocalChange(r.doc, actorAs("owner", EDITOR), (doc) => setClaimState(doc, r.claimId, { by: EDITOR, state: "approved" }));
    expect(byHand).toMatchObject({ ok: false, reason: expect.stringMatching(/approval step/) });
  });

  it("lets a checker change an approved claim (voiding it) but not mark it approved again", () => {
    const r = approved();
    expect(validateLocalChange(r.doc, actorAs("checker", CHECKER), (doc) => updateClaim(doc, r.claimId, { by: CHECKER, patch: { rationale: "New." } }))).toEqual({ ok: true });
    expect(approvalStatus(r.thread())).toBe("void");
    const again = validateLocalChange(r.doc, actorAs("checker", CHECKER), (doc) => setClaimState(doc, r.claimId, { by: CHECKER, state: "approved" }));
    expect(again).toMatchObject({ ok: false, reason: expect.stringMatching(/approval step/) });
  });

  it("lets an editor re-approve a void approval", () => {
    const r = approved();
    addEvidence(r.doc, r.claimId, { by: CHECKER, evidence: { ...EVIDENCE, url: "https://example.org/late" } });
    expect(validateLocalChange(r.doc, actorAs("editor", SECOND_EDITOR), (doc) => approveClaim(doc, r.claimId, { by: SECOND_EDITOR }))).toEqual({ ok: true });
    expect(approvalStatus(r.thread())).toBe("approved");
    expect(r.thread().claim!.approval!.by).toBe(SECOND_EDITOR);
  });

  it("lets only editors and owners send a claim back", () => {
    const r = approved();
    const sendBack = (by: string) => (doc: Y.Doc) => sendBackClaim(doc, r.claimId, { by, comment: "Not yet." });
    expect(validateLocalChange(r.doc, actorAs("checker", CHECKER), sendBack(CHECKER))).toMatchObject({ ok: false, reason: expect.stringMatching(/send back/) });
    expect(validateLocalChange(r.doc, actorAs("editor", SECOND_EDITOR), sendBack(SECOND_EDITOR))).toEqual({ ok: true });
    expect(r.thread().claim).toMatchObject({ approval: null, state: "researching" });
  });

  it("reads claims from before the approval gate (no approval key) as valid and unapproved", () => {
    const r = researched();
    expect(approvalMap(r.doc, r.claimId).has("approval")).toBe(false);
    expect(r.thread().claim!.approval).toBeUndefined();
    expect(approvalStatus(r.thread())).toBe("none");
  });
});
