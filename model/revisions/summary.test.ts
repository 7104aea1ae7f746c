import { describe, expect, it } from "vitest";
import { revisionStats, shortQuote, summariseRevision } from "./summary";
import type { AnnotationChange } from "./types";

const QUOTE = "more than 16,000 foreign terrorist fighters";
const change = (c: Partial<AnnotationChange> & Pick<AnnotationChange, "kind">, threadId = "t1"): AnnotationChange => ({ threadId, quote: QUOTE, ...c }) as AnnotationChange;

describe("revisionStats and summariseRevision", () => {
  it("counts the changes and names a lone verdict change", () => {
    const changes = [
      change({ kind: "claim-added" }, "t1"),
      change({ kind: "claim-added" }, "t2"),
      change({ kind: "verdict-changed", from: null, to: "Mostly true" }, "t1"),
      change({ kind: "messages-added", count: 3, authorIds: ["a", "b"] }, "t3"),
      change({ kind: "messages-added", count: 1, authorIds: ["a"] }, "t4"),
    ];
    const stats = revisionStats(changes, { wordsAdded: 12, wordsRemoved: 0 });
    expect(stats).toEqual({
      wordsAdded: 12,
      wordsRemoved: 0,
      claimsAdded: 2,
      claimsRemoved: 0,
      commentsAdded: 0,
      verdictsChanged: 1,
      evidenceAdded: 0,
      evidenceRemoved: 0,
      threadsResolved: 0,
      threadsReopened: 0,
      messagesAdded: 4,
    });
    expect(summariseRevision(stats, changes)).toBe('12 words added, 2 claims flagged, verdict of claim "more than 16,000…" set to Mostly true, 4 messages added');
  });

  it("counts several changes of a kind and uses the singular for one", () => {
    const changes = [
      change({ kind: "verdict-changed", from: "True", to: "False" }, "t1"),
      change({ kind: "verdict-changed", from: "True", to: null }, "t2"),
      change({ kind: "claim-state-changed", from: "open", to: "in_review" }, "t1"),
      change({ kind: "rationale-changed" }, "t1"),
      change({ kind: "rationale-changed" }, "t2"),
      change({ kind: "evidence-removed", evidenceId: "e1", title: "", url: "https://example.org", stance: "supports" }),
      change({ kind: "thread-resolved" }),
      change({ kind: "comment-removed" }, "t9"),
    ];
    const stats = revisionStats(changes, { wordsAdded: 1, wordsRemoved: 2 });
    expect(summariseRevision(stats, changes)).toBe(
      '1 word added, 2 words removed, 1 comment removed, 2 verdicts changed, claim "more than 16,000…" moved to In review, 2 rationales edited, 1 piece of evidence removed, 1 thread resolved',
    );
    expect(summariseRevision(revisionStats([change({ kind: "verdict-changed", from: "True", to: null })], { wordsAdded: 0, wordsRemoved: 0 }), [change({ kind: "verdict-changed", from: "True", to: null })])).toBe(
      'Verdict of claim "more than 16,000…" cleared',
    );
  });

  it('says "No changes" when there are none', () => {
    expect(summariseRevision(revisionStats([], { wordsAdded: 0, wordsRemoved: 0 }), [])).toBe("No changes");
  });

  it("shortens quotes at a word boundary", () => {
    expect(shortQuote("Crime fell")).toBe("Crime fell");
    expect(shortQuote("  spread\nover   lines  ")).toBe("spread over lines");
    expect(shortQuote("Supercalifragilisticexpialidocious")).toBe("Supercalifragilistic…");
  });
});
