import { describe, expect, it } from "vitest";
import { CLOSE_CODES } from "@/model/close-codes";
import { accessVerdict } from "./access-watch";

const member = { role: "commenter" as const, guest: false, sessionVersion: 3, tokenLive: true };

describe("accessVerdict", () => {
  it("keeps a connection whose access is what the ticket said", () => {
    expect(accessVerdict({ role: "commenter" }, member)).toEqual({ close: false });
    expect(accessVerdict({ role: "commenter", guest: false, sessionVersion: 3 }, member)).toEqual({ close: false });
    expect(accessVerdict({ role: "viewer", guest: true }, { role: "viewer", guest: true, sessionVersion: 0, tokenLive: true })).toEqual({ close: false });
  });

  it("closes for good when there is no access left: removed, revoked, expired or gone", () => {
    const revoked = { close: true, code: CLOSE_CODES.forbidden, reason: "access revoked" };
    expect(accessVerdict({ role: "commenter", guest: true }, undefined)).toEqual(revoked);
    expect(accessVerdict({ role: "commenter", guest: true }, { role: null, guest: false, sessionVersion: 0, tokenLive: true })).toEqual(revoked);
    expect(accessVerdict({ role: "editor" }, { role: null, guest: false, sessionVersion: null, tokenLive: true })).toEqual(revoked);
  });

  it("closes for good when the user signed out everywhere after the ticket, if the ticket carried a session version", () => {
    expect(accessVerdict({ role: "commenter", sessionVersion: 2 }, member)).toEqual({ close: true, code: CLOSE_CODES.unauthorized, reason: "signed out" });
    // A ticket minted without a session (an API token) is not tied to one.
    expect(accessVerdict({ role: "commenter" }, { ...member, sessionVersion: 99 })).toEqual({ close: false });
  });

  it("closes for good when the API token the ticket was minted with is revoked or expired", () => {
    expect(accessVerdict({ role: "commenter" }, { ...member, tokenLive: false })).toEqual({ close: true, code: CLOSE_CODES.forbidden, reason: "API token revoked or expired" });
  });

  it("asks for a fresh ticket when the role changed, or a member became a guest or the reverse", () => {
    const changed = (reason: string) => ({ close: true, code: CLOSE_CODES.accessChanged, reason });
    expect(accessVerdict({ role: "viewer" }, member)).toEqual(changed("role changed"));
    expect(accessVerdict({ role: "commenter", guest: true }, member)).toEqual(changed("access changed"));
    expect(accessVerdict({ role: "commenter", guest: false }, { ...member, guest: true })).toEqual(changed("access changed"));
    // Without a guest flag on the identity, only the role counts.
    expect(accessVerdict({ role: "commenter" }, { ...member, guest: true })).toEqual({ close: false });
  });
});
