import { describe, expect, it } from "vitest";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { correctionChanges, describeChange } from "./corrections";
import { contentOf, fixture } from "./publishing.test-helpers";

describe("correctionChanges", () => {
  const f = fixture({ approveBoth: true });
  const before = contentOf(f, [f.claims.jobs]);

  it("finds nothing when nothing changed", () => {
    expect(correctionChanges(before, before)).toEqual([]);
  });

  it("names changed verdicts by their labels, added and removed claims, and rating changes", () => {
    const jobs = before.claims[0]!;
    const mixed = DEFAULT_VERDICT_SCALE.find((v) => v.key === "mixed")!;
    const after = contentOf(f, [f.claims.countries]);
    const changed = {
      ...after,
      claims: [{ ...jobs, verdict: mixed, evidence: [] }, ...after.claims],
      summary: after.summary && { ...after.summary, rating: DEFAULT_VERDICT_SCALE.find((v) => v.key === "false")! },
    };
    const changes = correctionChanges(before, changed);
    expect(changes).toEqual([
      { kind: "rating-changed", from: "Mostly false", to: "False" },
      { kind: "verdict-changed", claimId: jobs.id, quote: jobs.quote, from: "False", to: "Mixed" },
      { kind: "evidence-changed", claimId: jobs.id, quote: jobs.quote },
      { kind: "claim-added", claimId: f.claims.countries, quote: "More than 90 countries" },
    ]);
    expect(describeChange(changes[1]!)).toBe("Verdict on “unemployment fell by 40 percent last year”: False → Mixed");
    expect(correctionChanges(changed, before)).toContainEqual({ kind: "claim-removed", claimId: f.claims.countries, quote: "More than 90 countries" });
  });
});
