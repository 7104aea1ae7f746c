import { describe, expect, it } from "vitest";
import {
  addEvidence,
  addMessage,
  createThread,
  deleteThread,
  removeEvidence,
  setResolved,
  updateClaim,
  updateEvidence,
} from "../review";
import { sampleAnchor } from "../review/review.test-helpers";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { claimHistory } from "./claim-history";
import { ALICE, BOB, CAROL, Room } from "./revisions.test-helpers";

const EVIDENCE = { url: "https://www.unhcr.org/report.html", title: "UNHCR report", publisher: "UNHCR", stance: "refutes" as const, note: "" };

describe("claimHistory", () => {
  it("replays the log and credits each change of the claim to the row's user and time", () => {
    const room = Room.review();
    const claim = room.edit(ALICE, 11, (doc) => createThread(doc, { kind: "claim", anchor: sampleAnchor(1), by: ALICE, claim: { claimant: "The minister" } }));
    const other = room.edit(BOB, 12, (doc) => createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: BOB }));
    room.edit(BOB, 12, (doc) => updateClaim(doc, other, { by: BOB, patch: { verdict: "true" } }));
    room.edit(BOB, 12, (doc) => updateClaim(doc, claim, { by: BOB, patch: { verdict: "mostly-true", state: "researching" } }));
    const evidence = room.edit(CAROL, 13, (doc) => addEvidence(doc, claim, { by: CAROL, evidence: EVIDENCE }));
    room.edit(CAROL, 13, (doc) => updateEvidence(doc, claim, evidence, { stance: "context" }));
    room.edit(ALICE, 11, (doc) => addMessage(doc, claim, { by: ALICE, body: "Checked.", mentions: [] }));
    room.edit(ALICE, 11, (doc) => updateClaim(doc, claim, { by: ALICE, patch: { rationale: "Close enough.", appearedOn: "2025-02-01", assigneeId: BOB } }));
    room.edit(BOB, 12, (doc) => removeEvidence(doc, claim, evidence));
    room.edit(BOB, 12, (doc) => setResolved(doc, claim, { by: BOB, resolved: true }));
    room.edit(ALICE, 11, (doc) => setResolved(doc, claim, { by: ALICE, resolved: false }));
    room.edit(BOB, 12, (doc) => updateClaim(doc, claim, { by: BOB, patch: { verdict: "retired-key" } }));
    room.edit(CAROL, 13, (doc) => deleteThread(doc, claim));

    const at = (row: number) => room.rows[row - 1]!.createdAt.toISOString();
    const stored = { evidenceId: evidence, title: "UNHCR report", url: EVIDENCE.url };
    expect(claimHistory(room.rows, claim, DEFAULT_VERDICT_SCALE)).toEqual([
      { at: at(2), by: ALICE, change: { kind: "created" } },
      { at: at(5), by: BOB, change: { kind: "verdict", from: null, to: "Mostly true" } },
      { at: at(5), by: BOB, change: { kind: "state", from: "open", to: "researching" } },
      { at: at(6), by: CAROL, change: { kind: "evidence-added", ...stored, stance: "refutes" } },
      { at: at(7), by: CAROL, change: { kind: "evidence-changed", ...stored, stance: "context" } },
      { at: at(9), by: ALICE, change: { kind: "rationale", from: "", to: "Close enough." } },
      { at: at(9), by: ALICE, change: { kind: "field", field: "appearedOn", from: "", to: "2025-02-01" } },
      { at: at(9), by: ALICE, change: { kind: "field", field: "assigneeId", from: null, to: BOB } },
      { at: at(10), by: BOB, change: { kind: "evidence-removed", ...stored, stance: "context" } },
      { at: at(11), by: BOB, change: { kind: "resolved" } },
      { at: at(12), by: ALICE, change: { kind: "reopened" } },
      { at: at(13), by: BOB, change: { kind: "verdict", from: "Mostly true", to: "retired-key" } },
      { at: at(14), by: CAROL, change: { kind: "deleted" } },
    ]);
  });

  it("records a claim created with a verdict, and nothing for an unknown id", () => {
    const room = Room.review();
    const claim = room.edit(ALICE, 11, (doc) => createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: ALICE, claim: { verdict: "false" } }));
    expect(claimHistory(room.rows, claim, DEFAULT_VERDICT_SCALE).map((e) => e.change)).toEqual([{ kind: "created" }, { kind: "verdict", from: null, to: "False" }]);
    expect(claimHistory(room.rows, "no-such-thread", DEFAULT_VERDICT_SCALE)).toEqual([]);
  });
});
