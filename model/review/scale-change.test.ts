import { describe, expect, it } from "vitest";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import type { Thread } from "./schema";
import { validateThreadChange } from "./validate";

const CHECKER = "33333333-3333-4333-8333-333333333333";
const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-02T00:00:00.000Z";

const claim: Thread = {
  id: "thread-0001",
  kind: "claim",
  createdBy: CHECKER,
  createdAt: AT,
  anchor: { start: "AQEBAQ==", end: "AQEBAQ==", quote: { exact: "x", prefix: "", suffix: "" } },
  resolved: false,
  resolvedBy: null,
  resolvedAt: null,
  messages: {},
  claim: { claimant: "", appearedIn: "", appearedOn: "", assigneeId: null, state: "open", verdict: "satire", rationale: "", verdictBy: CHECKER, verdictAt: AT, updatedBy: CHECKER, updatedAt: AT },
  evidence: {},
};
const ctx = { actor: { userId: CHECKER, role: "checker" as const }, scale: DEFAULT_VERDICT_SCALE, now: new Date(LATER), allowSelfApproval: false };

describe("a verdict that has left the desk's scale", () => {
  it("does not lock the other fields of a claim that carries it", () => {
    const after = { ...claim, claim: { ...claim.claim!, state: "researching", updatedAt: LATER } };
    expect(validateThreadChange(claim.id, claim, after, ctx)).toEqual({ ok: true });
  });

  it("cannot be set anew", () => {
    const fresh = { ...claim, claim: { ...claim.claim!, verdict: null, verdictBy: null, verdictAt: null } };
    const after = { ...claim, claim: { ...claim.claim!, verdictAt: LATER, updatedAt: LATER } };
    const verdict = validateThreadChange(claim.id, fresh, after, ctx);
    expect(verdict.ok).toBe(false);
  });
});
