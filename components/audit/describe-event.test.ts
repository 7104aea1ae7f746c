import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/model/schemas/audit";
import { actionLabel, describeEvent } from "./describe-event";

describe("actionLabel", () => {
  it("names every audited action in words, and shows an unknown one as recorded", () => {
    expect(actionLabel("member.role_change")).toBe("Changed a role");
    for (const action of AUDIT_ACTIONS) expect(actionLabel(action)).not.toContain(".");
    expect(actionLabel("something.new")).toBe("something.new");
  });
});

describe("describeEvent", () => {
  it("describes role changes, removals and invites with role names", () => {
    expect(describeEvent({ action: "member.role_change", targetLabel: "Chioma", data: { from: "checker", to: "editor" } })).toBe("Chioma: Checker → Editor");
    expect(describeEvent({ action: "member.role_change", targetLabel: null, data: { from: "checker", to: "nonsense" } })).toBe("A former member");
    expect(describeEvent({ action: "member.remove", targetLabel: "Vic", data: { role: "viewer" } })).toBe("Vic (was Viewer)");
    expect(describeEvent({ action: "invite.create", targetLabel: null, data: { role: "commenter" } })).toBe("Commenter invite link");
    expect(describeEvent({ action: "invite.accept", targetLabel: null, data: { role: "checker" } })).toBe("as Checker");
  });

  it("describes guest links, guests joining and revocations with the article, the role and the dates", () => {
    const until = "2031-05-31T21:59:59.999Z";
    expect(describeEvent({ action: "guest.invite", targetLabel: "An article", data: { role: "commenter", accessExpiresAt: until } })).toBe(
      "An article · Commenter guest link · access until 2031-05-31",
    );
    expect(describeEvent({ action: "guest.invite", targetLabel: null, data: { title: "Deleted article" } })).toBe("Deleted article · Guest link");
    expect(describeEvent({ action: "guest.accept", targetLabel: "An article", data: { role: "viewer", expiresAt: until } })).toBe("An article · as Viewer · until 2031-05-31");
    expect(describeEvent({ action: "guest.revoke", targetLabel: "Gita Guest", data: { title: "An article", role: "commenter" } })).toBe("Gita Guest · “An article” · (was Commenter)");
    expect(describeEvent({ action: "guest.revoke", targetLabel: null, data: {} })).toBe("A former guest");
    expect(describeEvent({ action: "guest.revoke", targetLabel: "An article", data: { link: true, role: "viewer" } })).toBe("An article · Viewer guest link");
  });

  it("describes sign-ins by provider and revisions by number and label", () => {
    expect(describeEvent({ action: "auth.sign_in", targetLabel: null, data: { provider: "credentials" } })).toBe("with a password");
    expect(describeEvent({ action: "auth.sign_in", targetLabel: null, data: {} })).toBe("");
    expect(describeEvent({ action: "revision.create", targetLabel: "An article", data: { number: 4, label: "Before edits" } })).toBe("An article · version #4 · “Before edits”");
    expect(describeEvent({ action: "revision.restore", targetLabel: "An article", data: { restoredNumber: 4, beforeNumber: 6, afterNumber: 7 } })).toBe("An article · brought back version #4 · as #7");
    expect(describeEvent({ action: "revision.create", targetLabel: null, data: { number: "x" } })).toBe("");
    expect(describeEvent({ action: "article.import", targetLabel: "Title", data: { title: "Title" } })).toBe("Title");
  });

  it("describes approvals by claim and verdict, and publications by number, correction and reason", () => {
    expect(describeEvent({ action: "claim.approve", targetLabel: "An article", data: { threadId: "t1", quote: "Crime fell by 40 percent", verdict: "false" } })).toBe(
      "An article · “Crime fell by 40 percent” · verdict: false",
    );
    expect(describeEvent({ action: "claim.send_back", targetLabel: "An article", data: { threadId: "t1", quote: "x".repeat(80), verdict: null } })).toBe(`An article · “${"x".repeat(59)}…”`);
    expect(describeEvent({ action: "summary.approve", targetLabel: "An article", data: { verdict: "mixed" } })).toBe("An article · overall rating: mixed");
    expect(describeEvent({ action: "summary.approve", targetLabel: "An article", data: { verdict: "mixed" } }, { verdictLabel: (k) => (k === "mixed" ? "Mixed" : k) })).toBe(
      "An article · overall rating: Mixed",
    );
    expect(describeEvent({ action: "article.publish", targetLabel: "An article", data: { number: 1, claimIds: ["a"] } })).toBe("An article · publication #1");
    expect(describeEvent({ action: "article.republish", targetLabel: "An article", data: { number: 2, correction: "Verdict revised" } })).toBe("An article · publication #2 · correction: “Verdict revised”");
    expect(describeEvent({ action: "article.unpublish", targetLabel: null, data: { number: 2, reason: "Legal review" } })).toBe("reason: “Legal review”");
  });
});
