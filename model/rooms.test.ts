import { describe, expect, it } from "vitest";
import { canWriteRoom, parseRoomName, roomName } from "./rooms";

const ID = "0b7c5f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f";

describe("room names", () => {
  it("round-trips an article id and a kind", () => {
    expect(roomName(ID, "body")).toBe(`${ID}/body`);
    expect(parseRoomName(`${ID}/review`)).toEqual({ articleId: ID, kind: "review" });
    expect(parseRoomName(`${ID}/summary`)).toEqual({ articleId: ID, kind: "summary" });
  });

  it.each(["", ID, `${ID}/notes`, `${ID}/SUMMARY`, `${ID}/body/extra`, "not-a-uuid/body", `../${ID}/body`, `${ID}/BODY`])("refuses %j", (name) => {
    expect(parseRoomName(name)).toBeUndefined();
  });
});

describe("who may write which room", () => {
  it.each([
    ["viewer", false, false, false],
    ["commenter", false, true, false],
    ["checker", false, true, true],
    ["editor", true, true, true],
    ["owner", true, true, true],
  ] as const)("%s writes body: %s, review: %s, summary: %s", (role, body, review, summary) => {
    expect(canWriteRoom(role, "body")).toBe(body);
    expect(canWriteRoom(role, "review")).toBe(review);
    expect(canWriteRoom(role, "summary")).toBe(summary);
  });

  it("refuses anyone without a role", () => {
    expect(canWriteRoom(undefined, "review")).toBe(false);
  });
});
