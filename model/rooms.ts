import { can, type Action } from "./permissions";
import type { Role } from "./roles";

/**
 * Each article is a few Yjs documents ("rooms"), so that rights can be enforced per room with a
 * two-byte check: `body` is the article text, `review` everything the desk adds, `summary` the
 * desk's verdict on the article as a whole (model/summary).
 */
export const ROOM_KINDS = ["body", "review", "summary"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** The action a role needs to write to each kind of room. */
const WRITE_ACTION: Record<RoomKind, Action> = {
  body: "body:edit",
  review: "comment:write",
  summary: "summary:edit",
};

/** Whether `role` may change a room of `kind`. */
export function canWriteRoom(role: Role | null | undefined, kind: RoomKind): boolean {
  return can(role, WRITE_ACTION[kind]);
}

/** The room's name as used in URLs and storage: `<articleId>/<kind>`. */
export function roomName(articleId: string, kind: RoomKind): string {
  return `${articleId}/${kind}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `<articleId>/<kind>`; anything else is undefined. */
export function parseRoomName(name: string): { articleId: string; kind: RoomKind } | undefined {
  const [articleId, kind, ...rest] = name.split("/");
  if (rest.length || !articleId || !UUID.test(articleId) || !(ROOM_KINDS as readonly string[]).includes(kind ?? "")) return undefined;
  return { articleId: articleId.toLowerCase(), kind: kind as RoomKind };
}

/**
 * A message type of our own on the y-websocket connection, beside the protocol's 0–3: "this article's
 * publication changed (published, republished or unpublished); read it again". It carries nothing
 * else. Sent on the `body` room, which every open article holds; clients without a handler ignore it.
 */
export const PUBLICATION_CHANGED_MESSAGE = 4;

/** The name of the shared XML fragment holding the article text in the `body` room (and the write-up in the `summary` room). */
export const BODY_FRAGMENT = "default";

/** Where the collaboration server listens, relative to the app's origin. */
export const COLLAB_PATH = "/collab";
