import { describe, expect, it } from "vitest";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { dayHeading, describeAnnotationChange, describeClaimChange, groupByDay, localDayKey, revisionKindLabel, shortQuote, verdictOf } from "./describe";

const scale = DEFAULT_VERDICT_SCALE;
const names: Record<string, string> = { a: "Ann", b: "Bo", c: "Cy" };
const ctx = { scale, nameOf: (id: string | null) => (id ? (names[id] ?? "Former member") : "System") };
const quote = "more than 16,000 foreign terrorist fighters";

describe("revisionKindLabel", () => {
  it("names each kind of revision", () => {
    expect(revisionKindLabel({ kind: "auto", reason: "idle", label: null, restoredFromNumber: null })).toBe("Automatic");
    expect(revisionKindLabel({ kind: "named", reason: "named", label: "Before edits", restoredFromNumber: null })).toBe("Named “Before edits”");
    expect(revisionKindLabel({ kind: "system", reason: "before-restore", label: null, restoredFromNumber: null })).toBe("System: before restore");
    expect(revisionKindLabel({ kind: "system", reason: "restore", label: null, restoredFromNumber: 3 })).toBe("Restored from #3");
    expect(revisionKindLabel({ kind: "system", reason: "publication", label: null, restoredFromNumber: null })).toBe("System: publication");
  });
});

describe("describeAnnotationChange", () => {
  it("tells verdict changes with the scale's labels, whether given by key or label", () => {
    expect(describeAnnotationChange({ kind: "verdict-changed", threadId: "t", quote, from: "False", to: "Mostly true" }, ctx)).toBe(`Verdict of “${quote}” changed from False to Mostly true`);
    expect(describeAnnotationChange({ kind: "verdict-changed", threadId: "t", quote, from: null, to: "mostly-true" }, ctx)).toBe(`Verdict of “${quote}” set to Mostly true`);
    expect(describeAnnotationChange({ kind: "verdict-changed", threadId: "t", quote, from: "satire", to: null }, ctx)).toBe(`Verdict of “${quote}” cleared (was satire)`);
  });

  it("tells evidence, resolution, states and messages", () => {
    expect(describeAnnotationChange({ kind: "evidence-removed", threadId: "t", quote: "q", evidenceId: "e", title: "Report", url: "https://x.example", stance: "refutes" }, ctx)).toBe("Evidence removed from “q”: Report (Refutes)");
    expect(describeAnnotationChange({ kind: "evidence-added", threadId: "t", quote: "q", evidenceId: "e", title: "", url: "https://x.example", stance: "context" }, ctx)).toBe("Evidence added to “q”: https://x.example (Adds context)");
    expect(describeAnnotationChange({ kind: "thread-resolved", threadId: "t", quote: "q" }, ctx)).toBe("Thread resolved: “q”");
    expect(describeAnnotationChange({ kind: "claim-state-changed", threadId: "t", quote: "q", from: "open", to: "in_review" }, ctx)).toBe("State of “q” changed from Open to In review");
    expect(describeAnnotationChange({ kind: "messages-added", threadId: "t", quote: "q", count: 3, authorIds: ["a", "b", "c"] }, ctx)).toBe("3 messages added to “q” by Ann, Bo and Cy");
    expect(describeAnnotationChange({ kind: "messages-added", threadId: "t", quote: "q", count: 1, authorIds: ["z"] }, ctx)).toBe("1 message added to “q” by Former member");
  });

  it("shortens long quotes", () => {
    const long = "word ".repeat(40);
    expect(shortQuote(long).length).toBeLessThanOrEqual(60);
    expect(shortQuote(long).endsWith("…")).toBe(true);
    expect(describeAnnotationChange({ kind: "claim-added", threadId: "t", quote: long }, ctx)).toMatch(/^Claim flagged: “word word .*…”$/);
  });
});

describe("describeClaimChange", () => {
  it("tells each kind of change to a claim", () => {
    expect(describeClaimChange({ kind: "created" }, ctx)).toBe("Flagged the claim");
    expect(describeClaimChange({ kind: "verdict", from: "False", to: "Mostly true" }, ctx)).toBe("Changed the verdict from False to Mostly true");
    expect(describeClaimChange({ kind: "verdict", from: null, to: "True" }, ctx)).toBe("Set the verdict to True");
    expect(describeClaimChange({ kind: "state", from: "open", to: "researching" }, ctx)).toBe("Moved it from Open to Researching");
    expect(describeClaimChange({ kind: "rationale", from: "", to: "Because" }, ctx)).toBe("Changed the rationale to “Because”");
    expect(describeClaimChange({ kind: "field", field: "assigneeId", from: null, to: "a" }, ctx)).toBe("Changed assignee from nobody to Ann");
    expect(describeClaimChange({ kind: "field", field: "claimant", from: "", to: "The minister" }, ctx)).toBe("Changed claimant from nothing to “The minister”");
    expect(describeClaimChange({ kind: "evidence-removed", evidenceId: "e", title: "Report", url: "https://x.example", stance: "supports" }, ctx)).toBe("Removed evidence: Report (Supports)");
    expect(describeClaimChange({ kind: "resolved" }, ctx)).toBe("Resolved the thread");
  });
});

describe("verdictOf", () => {
  it("finds a verdict by key or label, and keeps an unknown one as text", () => {
    expect(verdictOf(scale, "false")).toEqual({ label: "False", colour: "#b3261e" });
    expect(verdictOf(scale, "Mostly true")).toEqual({ label: "Mostly true", colour: "#5c9a2e" });
    expect(verdictOf(scale, "satire")).toEqual({ label: "satire", colour: null });
    expect(verdictOf(scale, null)).toBeNull();
  });
});

describe("days", () => {
  it("groups revisions by local day, keeping their order", () => {
    const at = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h).toISOString();
    const items = [{ createdAt: at(2025, 6, 3, 18) }, { createdAt: at(2025, 6, 3, 1) }, { createdAt: at(2025, 6, 2, 23) }];
    const groups = groupByDay(items);
    expect(groups.map((g) => g.day)).toEqual(["2025-06-03", "2025-06-02"]);
    expect(groups[0]!.items).toHaveLength(2);
    expect(localDayKey(at(2025, 1, 9, 12))).toBe("2025-01-09");
  });

  it("says Today and Yesterday, then the date", () => {
    const now = new Date(2025, 5, 3, 12);
    expect(dayHeading(new Date(2025, 5, 3, 1).toISOString(), now)).toBe("Today");
    expect(dayHeading(new Date(2025, 5, 2, 23).toISOString(), now)).toBe("Yesterday");
    expect(dayHeading(new Date(2025, 4, 30, 9).toISOString(), now)).toBe("Friday, 30 May 2025");
  });
});
