import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  addEvidence,
  addMessage,
  createThread,
  deleteThread,
  readThreads,
  removeEvidence,
  setResolved,
  updateClaim,
  type Thread,
} from "../review";
import { reviewDoc, sampleAnchor } from "../review/review.test-helpers";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { compareThreads } from "./annotation-diff";
import { ALICE, BOB, CAROL } from "./revisions.test-helpers";

const EVIDENCE = { url: "https://www.unhcr.org/report.html", title: "UNHCR report", publisher: "UNHCR", stance: "refutes" as const, note: "" };

/** Threads in the order given by `ids` (as revision content lists them, in document order). */
const inOrder = (threads: Thread[], ids: string[]) => ids.flatMap((id) => threads.find((t) => t.id === id) ?? []);

describe("compareThreads", () => {
  // Messages written in the same millisecond would be ordered by their random ids; a clock that moves
  // on between writes keeps the expected order the order they were written.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-11-25T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());
  const aSecondLater = () => vi.setSystemTime(Date.now() + 1_000);

  it("lists added and removed threads, verdicts by label, state, rationale, evidence, resolution and replies", () => {
    const doc = reviewDoc();
    const claim = createThread(doc, { kind: "claim", anchor: sampleAnchor(1), by: ALICE, claim: { verdict: "mostly-true" } });
    const comment = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: BOB, message: { body: "Source?", mentions: [] } });
    const gone = createThread(doc, { kind: "claim", anchor: sampleAnchor(2), by: BOB });
    const oldEvidence = addEvidence(doc, claim, { by: ALICE, evidence: EVIDENCE });
    const before = inOrder(readThreads(doc), [comment, claim, gone]);

    updateClaim(doc, claim, { by: BOB, patch: { verdict: "false", state: "in_review", rationale: "The report says otherwise." } });
    removeEvidence(doc, claim, oldEvidence);
    const newEvidence = addEvidence(doc, claim, { by: BOB, evidence: { ...EVIDENCE, title: "Census", stance: "supports" } });
    aSecondLater();
    addMessage(doc, comment, { by: ALICE, body: "Added one.", mentions: [] });
    aSecondLater();
    addMessage(doc, comment, { by: CAROL, body: "Thanks.", mentions: [] });
    aSecondLater();
    addMessage(doc, comment, { by: ALICE, body: "Welcome.", mentions: [] });
    setResolved(doc, comment, { by: BOB, resolved: true });
    deleteThread(doc, gone);
    const fresh = createThread(doc, { kind: "comment", anchor: sampleAnchor(2), by: CAROL, message: { body: "Look here", mentions: [] } });
    const after = inOrder(readThreads(doc), [comment, claim, fresh]);

    const quote = (id: string) => [...before, ...after].find((t) => t.id === id)!.anchor.quote.exact;
    expect(compareThreads(before, after, DEFAULT_VERDICT_SCALE)).toEqual([
      { kind: "thread-resolved", threadId: comment, quote: quote(comment) },
      { kind: "messages-added", threadId: comment, quote: quote(comment), count: 3, authorIds: [ALICE, CAROL] },
      { kind: "verdict-changed", threadId: claim, quote: quote(claim), from: "Mostly true", to: "False" },
      { kind: "claim-state-changed", threadId: claim, quote: quote(claim), from: "open", to: "in_review" },
      { kind: "rationale-changed", threadId: claim, quote: quote(claim) },
      { kind: "evidence-added", threadId: claim, quote: quote(claim), evidenceId: newEvidence, title: "Census", url: EVIDENCE.url, stance: "supports" },
      { kind: "evidence-removed", threadId: claim, quote: quote(claim), evidenceId: oldEvidence, title: "UNHCR report", url: EVIDENCE.url, stance: "refutes" },
      { kind: "claim-removed", threadId: gone, quote: quote(gone) },
      { kind: "comment-added", threadId: fresh, quote: quote(fresh) },
    ]);
    // Nothing changed, nothing listed; and the other way round the same steps undo each other.
    expect(compareThreads(after, after, DEFAULT_VERDICT_SCALE)).toEqual([]);
    expect(compareThreads(after, before, DEFAULT_VERDICT_SCALE).map((c) => c.kind)).toEqual([
      "thread-reopened",
      "verdict-changed",
      "claim-state-changed",
      "rationale-changed",
      "evidence-added",
      "evidence-removed",
      "comment-removed",
      "claim-added",
    ]);
  });

  it("lists what a new claim already carries, and keeps a verdict key its scale no longer has", () => {
    const doc = reviewDoc();
    const claim = createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: ALICE, claim: { verdict: "pants-on-fire" }, message: { body: "Flagging", mentions: [] } });
    const evidence = addEvidence(doc, claim, { by: ALICE, evidence: EVIDENCE });
    const changes = compareThreads([], readThreads(doc), DEFAULT_VERDICT_SCALE);
    const quote = sampleAnchor(0).quote.exact;
    expect(changes).toEqual([
      { kind: "claim-added", threadId: claim, quote },
      { kind: "verdict-changed", threadId: claim, quote, from: null, to: "pants-on-fire" },
      { kind: "evidence-added", threadId: claim, quote, evidenceId: evidence, title: "UNHCR report", url: EVIDENCE.url, stance: "refutes" },
      { kind: "messages-added", threadId: claim, quote, count: 1, authorIds: [ALICE] },
    ]);
  });

  it("follows the new order when a thread moved, without listing it as removed and added", () => {
    const doc = reviewDoc();
    const a = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ALICE });
    const b = createThread(doc, { kind: "claim", anchor: sampleAnchor(1), by: ALICE });
    const c = createThread(doc, { kind: "claim", anchor: sampleAnchor(2), by: ALICE });
    const before = inOrder(readThreads(doc), [a, b, c]);
    setResolved(doc, a, { by: BOB, resolved: true });
    updateClaim(doc, b, { by: BOB, patch: { verdict: "true" } });
    const after = inOrder(readThreads(doc), [b, c, a]);
    expect(compareThreads(before, after, DEFAULT_VERDICT_SCALE).map((ch) => [ch.kind, ch.threadId])).toEqual([
      ["verdict-changed", b],
      ["thread-resolved", a],
    ]);
  });
});
