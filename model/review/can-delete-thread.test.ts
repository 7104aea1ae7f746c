import { describe, expect, it } from "vitest";
import type { Thread } from "./schema";
import { canDeleteThread } from "./validate";

const ME = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";
const AT = "2026-01-01T00:00:00.000Z";

function claimBy(createdBy: string, evidenceBy: string[], messageBy: string[]): Thread {
  return {
    id: "thread-0001",
    kind: "claim",
    createdBy,
    createdAt: AT,
    anchor: { start: "AA==", end: "AA==", quote: { exact: "x", prefix: "", suffix: "" } },
    resolved: false,
    resolvedBy: null,
    resolvedAt: null,
    messages: Object.fromEntries(messageBy.map((by, i) => [`message-${i}0000`, { id: `message-${i}0000`, authorId: by, body: "hi", mentions: [], createdAt: AT, editedAt: null }])),
    claim: { claimant: "", appearedIn: "", appearedOn: "", assigneeId: null, state: "open", verdict: null, rationale: "", verdictBy: null, verdictAt: null, updatedBy: createdBy, updatedAt: AT },
    evidence: Object.fromEntries(
      evidenceBy.map((by, i) => [`evidence-${i}000`, { id: `evidence-${i}000`, url: "https://example.org/", title: "", publisher: "", stance: "supports", note: "", addedBy: by, addedAt: AT }]),
    ),
  };
}

describe("canDeleteThread", () => {
  it("lets a checker delete a claim only they worked on", () => {
    expect(canDeleteThread(claimBy(ME, [ME], [ME]), { userId: ME, role: "checker" })).toBe(true);
  });

  it("refuses a checker once someone else added evidence or wrote a message", () => {
    expect(canDeleteThread(claimBy(ME, [OTHER], []), { userId: ME, role: "checker" })).toBe(false);
    expect(canDeleteThread(claimBy(ME, [], [OTHER]), { userId: ME, role: "checker" })).toBe(false);
  });

  it("refuses someone else's claim, and a commenter's own claim-less rights", () => {
    expect(canDeleteThread(claimBy(OTHER, [], []), { userId: ME, role: "checker" })).toBe(false);
    expect(canDeleteThread(claimBy(ME, [], []), { userId: ME, role: "commenter" })).toBe(false);
  });

  it("lets editors and owners delete any thread", () => {
    expect(canDeleteThread(claimBy(OTHER, [OTHER], [OTHER]), { userId: ME, role: "editor" })).toBe(true);
    expect(canDeleteThread(claimBy(OTHER, [OTHER], [OTHER]), { userId: ME, role: "owner" })).toBe(true);
  });
});
