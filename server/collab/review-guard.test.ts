import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addEvidence,
  addMessage,
  approveClaim,
  createThread,
  sendBackClaim,
  deleteMessage,
  deleteThread,
  readThread,
  readThreads,
  setClaimState,
  threadsMap,
  updateClaim,
  type Thread,
} from "@/model/review";
import { USER, actorAs, reviewDoc, sampleAnchor } from "@/model/review/review.test-helpers";
import type { Role } from "@/model/roles";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { ReviewGuard } from "./review-guard";

const CHECKER = USER.me;
const COMMENTER = USER.other;
const EDITOR = USER.third;
const EVIDENCE = { url: "https://www.unhcr.org/report.html", title: "Report", publisher: "UNHCR", stance: "supports" as const, note: "" };

const docs: Y.Doc[] = [];
afterEach(() => {
  docs.splice(0).forEach((d) => d.destroy());
});

/** A review room on the server: its trusted document (with one comment thread and one claim) and its guard. */
function room() {
  const server = reviewDoc();
  docs.push(server);
  const setup = clientOf(server);
  const comment = createThread(setup, { kind: "comment", anchor: sampleAnchor(0), by: CHECKER, message: { body: "Source?", mentions: [] } });
  const claim = createThread(setup, { kind: "claim", anchor: sampleAnchor(1), by: CHECKER, message: { body: "Check this", mentions: [] } });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(setup), "load");
  const guard = new ReviewGuard(server, () => DEFAULT_VERDICT_SCALE);
  return { server, guard, comment, claim };
}

/** A client that has synced with `server`. */
function clientOf(server: Y.Doc, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  docs.push(doc);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  return doc;
}

/** The update a client sends for whatever `op` does locally. */
function updateFrom(doc: Y.Doc, op: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on("update", record);
  try {
    op(doc);
  } finally {
    doc.off("update", record);
  }
  expect(updates.length).toBeGreaterThan(0);
  return Y.mergeUpdates(updates);
}

/** What the connection does: check, and apply only what passed. */
function send(r: { server: Y.Doc; guard: ReviewGuard }, update: Uint8Array, role: Role, userId: string) {
  const verdict = r.guard.check(update, actorAs(role, userId));
  if (verdict.ok) Y.applyUpdate(r.server, update, "peer");
  return verdict;
}

const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);
const sorted = (threads: Thread[]) => [...threads].sort((a, b) => a.id.localeCompare(b.id));

describe("ReviewGuard", () => {
  it("accepts concurrent honest work from a checker, an editor and a commenter, and everyone converges", () => {
    const r = room();
    const checker = clientOf(r.server);
    let claimId = "";
    const created = updateFrom(checker, (doc) => {
      claimId = createThread(doc, { kind: "claim", anchor: sampleAnchor(2), by: CHECKER, claim: { claimant: "The minister" } });
    });
    expect(send(r, created, "checker", CHECKER)).toMatchObject({ ok: true });

    // The editor and the commenter both start from the server's state and work at the same time.
    const editor = clientOf(r.server);
    const commenter = clientOf(r.server);
    const evidence = updateFrom(editor, (doc) => void addEvidence(doc, claimId, { by: EDITOR, evidence: EVIDENCE }));
    const reply = updateFrom(commenter, (doc) => void addMessage(doc, claimId, { by: COMMENTER, body: "Seen in the 2015 report too", mentions: [CHECKER] }));
    const verdict = updateFrom(checker, (doc) => updateClaim(doc, claimId, { by: CHECKER, patch: { verdict: "mostly-true", rationale: "Close enough" } }));
    expect(send(r, reply, "commenter", COMMENTER)).toMatchObject({ ok: true });
    expect(send(r, evidence, "editor", EDITOR)).toMatchObject({ ok: true });
    expect(send(r, verdict, "checker", CHECKER)).toMatchObject({ ok: true });

    for (const client of [checker, editor, commenter]) Y.applyUpdate(client, state(r.server));
    const onServer = sorted(readThreads(r.server));
    for (const client of [checker, editor, commenter]) {
      expect(sorted(readThreads(client))).toEqual(onServer);
      expect(Y.encodeStateVector(client)).toEqual(Y.encodeStateVector(r.server));
    }
    const claim = readThread(r.server, claimId)!;
    expect(Object.values(claim.messages).map((m) => [m.authorId, m.body])).toEqual([[COMMENTER, "Seen in the 2015 report too"]]);
    expect(Object.values(claim.evidence!).map((e) => [e.addedBy, e.url])).toEqual([[EDITOR, EVIDENCE.url]]);
    expect(claim.claim).toMatchObject({ claimant: "The minister", verdict: "mostly-true", verdictBy: CHECKER, rationale: "Close enough", updatedBy: CHECKER });
  });

  it("refuses a commenter's verdict without storing anything, and still judges the next update against the room", () => {
    const r = room();
    const before = state(r.server);
    const commenter = clientOf(r.server);
    const attempt = updateFrom(commenter, (doc) => updateClaim(doc, r.claim, { by: COMMENTER, patch: { verdict: "false" } }));
    const verdict = send(r, attempt, "commenter", COMMENTER);
    expect(verdict.ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    expect(readThread(r.server, r.claim)!.claim!.verdict).toBeNull();

    // Had the shadow kept the refused verdict (by the commenter), this checker's change to the same
    // claim would look like it set a verdict under someone else's name.
    const checker = clientOf(r.server);
    const rationale = updateFrom(checker, (doc) => updateClaim(doc, r.claim, { by: CHECKER, patch: { rationale: "Looking into it" } }));
    expect(send(r, rationale, "checker", CHECKER)).toMatchObject({ ok: true });
    const claim = readThread(r.server, r.claim)!.claim!;
    expect(claim.rationale).toBe("Looking into it");
    expect(claim.verdict).toBeNull();
    expect(claim.verdictBy).toBeNull();
  });

  it("refuses a message written under another user's id", () => {
    const r = room();
    const before = state(r.server);
    const client = clientOf(r.server);
    const spoof = updateFrom(client, (doc) => void addMessage(doc, r.comment, { by: CHECKER, body: "I agree with myself", mentions: [] }));
    expect(send(r, spoof, "commenter", COMMENTER).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    // The same reply under one's own id passes.
    const honest = updateFrom(clientOf(r.server), (doc) => void addMessage(doc, r.comment, { by: COMMENTER, body: "I agree", mentions: [] }));
    expect(send(r, honest, "commenter", COMMENTER)).toMatchObject({ ok: true });
    expect(Object.values(readThread(r.server, r.comment)!.messages).map((m) => m.authorId)).toEqual([CHECKER, COMMENTER]);
  });

  it.each<[string, Role, string, (doc: Y.Doc, ids: { comment: string; claim: string }) => void]>([
    ["a viewer's comment", "viewer", COMMENTER, (doc) => void createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: COMMENTER })],
    ["a commenter's claim", "commenter", COMMENTER, (doc) => void createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: COMMENTER })],
    ["a commenter deleting another's thread", "commenter", COMMENTER, (doc, ids) => deleteThread(doc, ids.comment)],
    ["an editor deleting another's message", "editor", EDITOR, (doc, ids) => deleteMessage(doc, ids.comment, [...(threadsMap(doc).get(ids.comment)!.get("messages") as Y.Map<unknown>).keys()][0]!)],
    ["an editor approving a claim by hand", "editor", EDITOR, (doc, ids) => setClaimState(doc, ids.claim, { by: EDITOR, state: "approved" })],
    ["javascript: evidence", "checker", CHECKER, (doc, ids) => void addEvidence(doc, ids.claim, { by: CHECKER, evidence: { ...EVIDENCE, url: "javascript:alert(1)" } })],
    ["a thread set to a plain value", "commenter", COMMENTER, (doc) => threadsMap(doc).set("plain-thread-1", "hello" as never)],
    ["a thread key holding nothing (undefined)", "commenter", COMMENTER, (doc) => threadsMap(doc).set("undefined-thread", undefined as never)],
  ])("refuses %s and leaves the room byte-identical", (_name, role, userId, op) => {
    const r = room();
    const before = state(r.server);
    const attempt = updateFrom(clientOf(r.server), (doc) => op(doc, r));
    expect(send(r, attempt, role, userId).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    const next = updateFrom(clientOf(r.server), (doc) => void addMessage(doc, r.claim, { by: COMMENTER, body: "Still here", mentions: [] }));
    expect(send(r, next, "commenter", COMMENTER)).toMatchObject({ ok: true });
    expect(Object.values(readThread(r.server, r.claim)!.messages).map((m) => m.body)).toEqual(["Check this", "Still here"]);
  });

  it("accepts an editor deleting a thread others took part in", () => {
    const r = room();
    Y.applyUpdate(r.server, updateFrom(clientOf(r.server), (doc) => void addMessage(doc, r.comment, { by: COMMENTER, body: "+1", mentions: [] })), "peer");
    r.guard.sync(state(r.server));
    const deletion = updateFrom(clientOf(r.server), (doc) => deleteThread(doc, r.comment));
    expect(send(r, deletion, "commenter", COMMENTER).ok).toBe(false);
    expect(send(r, deletion, "checker", CHECKER).ok).toBe(false);
    expect(send(r, deletion, "editor", EDITOR)).toMatchObject({ ok: true });
    expect(readThread(r.server, r.comment)).toBeUndefined();
    expect(readThreads(r.server).map((t) => t.id)).toEqual([r.claim]);
  });

  it.each<[string, (doc: Y.Doc) => void]>([
    ["the meta map", (doc) => doc.getMap("meta").set("schemaVersion", 99)],
    ["a new text root", (doc) => doc.getText("x").insert(0, "hello")],
    ["a new map root", (doc) => doc.getMap("settings").set("admin", true)],
  ])("refuses an update that touches %s, even alongside a valid change", (_name, op) => {
    const r = room();
    const before = state(r.server);
    const alone = updateFrom(clientOf(r.server), op);
    expect(send(r, alone, "owner", EDITOR).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    const mixed = updateFrom(clientOf(r.server), (doc) =>
      doc.transact(() => {
        addMessage(doc, r.comment, { by: EDITOR, body: "Fine", mentions: [] });
        op(doc);
      }),
    );
    expect(send(r, mixed, "owner", EDITOR).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    expect(r.server.getMap("meta").get("schemaVersion")).toBe(1);
    // …and the guard is not left confused by it.
    const next = updateFrom(clientOf(r.server), (doc) => void addMessage(doc, r.comment, { by: EDITOR, body: "Fine", mentions: [] }));
    expect(send(r, next, "owner", EDITOR)).toMatchObject({ ok: true });
  });

  it("refuses the threads root used as a list", () => {
    const r = room();
    const before = state(r.server);
    // A client that never declared `threads` as a map can write it as an array.
    const rogue = new Y.Doc();
    docs.push(rogue);
    Y.applyUpdate(rogue, Y.encodeStateAsUpdate(r.server));
    const update = updateFrom(rogue, (doc) => doc.getArray("threads").insert(0, ["junk"]));
    expect(send(r, update, "owner", EDITOR).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
  });

  it("refuses an update it cannot read, and keeps working", () => {
    const r = room();
    const before = state(r.server);
    expect(send(r, new Uint8Array([0, 5, 255, 255, 255, 1, 2, 3]), "checker", CHECKER).ok).toBe(false);
    expect(state(r.server)).toEqual(before);
    const next = updateFrom(clientOf(r.server), (doc) => updateClaim(doc, r.claim, { by: CHECKER, patch: { state: "researching" } }));
    expect(send(r, next, "checker", CHECKER)).toMatchObject({ ok: true });
    expect(readThread(r.server, r.claim)!.claim!.state).toBe("researching");
  });

  it("refuses an update that depends on changes the server does not have, so no one else's update can release it", () => {
    const r = room();
    const before = state(r.server);
    const client = clientOf(r.server);
    let threadId = "";
    const first = updateFrom(client, (doc) => {
      threadId = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: COMMENTER });
    });
    const second = updateFrom(client, (doc) => void addMessage(doc, threadId, { by: CHECKER, body: "spoofed", mentions: [] }));
    const verdict = send(r, second, "commenter", COMMENTER);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.reason).toMatch(/does not have/);
    expect(state(r.server)).toEqual(before);
    // Nothing stays parked: the dependency, sent alone and honest, is accepted and brings nothing else.
    expect(send(r, first, "commenter", COMMENTER)).toMatchObject({ ok: true });
    expect(Object.keys(readThread(r.server, threadId)!.messages)).toHaveLength(0);
  });

  it("refuses even an honest pair that arrives out of order: a connection delivers in order", () => {
    const r = room();
    const client = clientOf(r.server);
    let threadId = "";
    const first = updateFrom(client, (doc) => {
      threadId = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: COMMENTER });
    });
    const second = updateFrom(client, (doc) => void addMessage(doc, threadId, { by: COMMENTER, body: "first!", mentions: [] }));
    expect(send(r, second, "commenter", COMMENTER).ok).toBe(false);
    expect(send(r, first, "commenter", COMMENTER)).toMatchObject({ ok: true });
    expect(threadsMap(r.server).has(threadId)).toBe(true);
  });

  it("judges clients against what the server itself wrote, once synced", () => {
    const r = room();
    // The server (not a peer) adds a thread, e.g. from an import; the room hands it to the guard with sync().
    const serverSide = clientOf(r.server);
    let threadId = "";
    const own = updateFrom(serverSide, (doc) => {
      threadId = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: EDITOR, message: { body: "Imported note", mentions: [] } });
    });
    Y.applyUpdate(r.server, own, "server");
    r.guard.sync(own);
    const messageId = [...(threadsMap(r.server).get(threadId)!.get("messages") as Y.Map<unknown>).keys()][0]!;
    const client = clientOf(r.server);
    const deletion = updateFrom(client, (doc) => deleteMessage(doc, threadId, messageId));
    expect(send(r, deletion, "checker", CHECKER).ok).toBe(false);
    expect(Object.keys(readThread(r.server, threadId)!.messages)).toEqual([messageId]);
  });

  // Two people change different fields of the same claim at the same time (say, one types the
  // rationale while the other sets the state). Each update is honest; whichever reaches the server
  // second merges with the first, and the merged `updatedBy` may be the other person's. The guard must
  // not refuse the second honest update for that.
  it.each([
    [1, 2],
    [2, 1],
  ])("accepts concurrent changes to different fields of one claim by two checkers (client ids %i, %i)", (idA, idB) => {
    for (const aFirst of [true, false]) {
      const r = room();
      const a = clientOf(r.server, idA);
      const b = clientOf(r.server, idB);
      const fromA = updateFrom(a, (doc) => updateClaim(doc, r.claim, { by: CHECKER, patch: { rationale: "Per the 2015 report" } }));
      const fromB = updateFrom(b, (doc) => updateClaim(doc, r.claim, { by: EDITOR, patch: { state: "researching", verdict: "mixed" } }));
      const sends: [Uint8Array, Role, string][] = [
        [fromA, "checker", CHECKER],
        [fromB, "editor", EDITOR],
      ];
      if (!aFirst) sends.reverse();
      for (const [update, role, userId] of sends) expect(send(r, update, role, userId)).toMatchObject({ ok: true });
      Y.applyUpdate(a, state(r.server));
      Y.applyUpdate(b, state(r.server));
      const claim = readThread(r.server, r.claim)!.claim!;
      expect(claim).toMatchObject({ rationale: "Per the 2015 report", state: "researching", verdict: "mixed", verdictBy: EDITOR });
      expect([CHECKER, EDITOR]).toContain(claim.updatedBy);
      expect(readThread(a, r.claim)).toEqual(readThread(r.server, r.claim));
      expect(readThread(b, r.claim)).toEqual(readThread(r.server, r.claim));
    }
  });

  it("still refuses a claim change that names someone else as its author", () => {
    const r = room();
    const spoof = updateFrom(clientOf(r.server), (doc) => updateClaim(doc, r.claim, { by: EDITOR, patch: { rationale: "Not mine" } }));
    expect(send(r, spoof, "checker", CHECKER).ok).toBe(false);
    expect(readThread(r.server, r.claim)!.claim!.rationale).toBe("");
  });

  it("reports approvals given and withdrawn, with the verdict, and nothing for other changes", () => {
    const r = room();
    const verdict = updateFrom(clientOf(r.server), (doc) => updateClaim(doc, r.claim, { by: CHECKER, patch: { verdict: "false", state: "in_review" } }));
    expect(send(r, verdict, "checker", CHECKER)).toEqual({ ok: true, approvals: [] });
    const quote = readThread(r.server, r.claim)!.anchor.quote.exact;

    const approval = updateFrom(clientOf(r.server), (doc) => approveClaim(doc, r.claim, { by: EDITOR }));
    expect(send(r, approval, "checker", EDITOR)).toMatchObject({ ok: false, reason: expect.stringMatching(/editors and owners/) });
    expect(send(r, approval, "editor", EDITOR)).toEqual({ ok: true, approvals: [{ action: "claim.approve", threadId: r.claim, quote, verdict: "false" }] });

    const sendBack = updateFrom(clientOf(r.server), (doc) => sendBackClaim(doc, r.claim, { by: EDITOR, comment: "Check the source." }));
    expect(send(r, sendBack, "editor", EDITOR)).toEqual({ ok: true, approvals: [{ action: "claim.send_back", threadId: r.claim, quote, verdict: "false" }] });
  });

  it("refuses the verdict's author approving unless the room's desk allows it", () => {
    let allow = false;
    const server = reviewDoc();
    docs.push(server);
    const setup = clientOf(server);
    const claim = createThread(setup, { kind: "claim", anchor: sampleAnchor(1), by: EDITOR, claim: { verdict: "mixed" } });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(setup), "load");
    const r = { server, guard: new ReviewGuard(server, () => DEFAULT_VERDICT_SCALE, () => allow) };
    const approval = updateFrom(clientOf(server), (doc) => approveClaim(doc, claim, { by: EDITOR }));
    expect(send(r, approval, "editor", EDITOR)).toMatchObject({ ok: false, reason: expect.stringMatching(/another editor/) });
    allow = true;
    expect(send(r, approval, "editor", EDITOR)).toMatchObject({ ok: true, approvals: [{ action: "claim.approve" }] });
  });
});
