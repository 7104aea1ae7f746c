import { expect } from "vitest";
import * as Y from "yjs";
import type { Database } from "@/db/client";
import { appendUpdates, seedRoomOnce } from "@/db/queries/documents";
import { encodeBodySeed } from "@/model/article-doc";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { encodeReviewSeed } from "@/model/review";
import type { RoomKind } from "@/model/rooms";
import { storedDoc } from "./collab";

/**
 * A desk session without a server: each user edits a Yjs document of their own (their own Yjs client
 * id, as in a browser), with model/ operations, and the update is appended to the room's log under
 * their user id, exactly as the collaboration server stores it. `seen` is what a client that has
 * received everything holds at any moment.
 */
export interface ScriptedSession {
  seen: Record<RoomKind, Y.Doc>;
  /** Runs `edit` as `user` on their copy of `room` and appends the resulting update as one log row of theirs. */
  as(user: { id: string }, room: RoomKind, edit: (doc: Y.Doc) => void): Promise<void>;
}

/** Seeds an article's rooms the way the collaboration server seeds a room it loads first, and starts a session on them. */
export async function scriptSession(db: Database, params: { articleId: string; content: ProseMirrorJson }): Promise<ScriptedSession> {
  const { articleId } = params;
  await seedRoomOnce(db, { articleId, room: "body", seed: () => encodeBodySeed(params.content) });
  await seedRoomOnce(db, { articleId, room: "review", seed: encodeReviewSeed });
  // Each seed has a Yjs client id of its own: start from the stored ones, as a client would.
  const seen: Record<RoomKind, Y.Doc> = {
    body: await storedDoc(db, { articleId, room: "body" }),
    review: await storedDoc(db, { articleId, room: "review" }),
    summary: new Y.Doc(),
  };
  const copies = new Map<string, Y.Doc>();
  return {
    seen,
    async as(user, room, edit) {
      const key = `${user.id}/${room}`;
      const doc = copies.get(key) ?? new Y.Doc();
      copies.set(key, doc);
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(seen[room]), "sync");
      const mine: Uint8Array[] = [];
      const collect = (update: Uint8Array, origin: unknown) => {
        if (origin !== "sync") mine.push(update);
      };
      doc.on("update", collect);
      try {
        edit(doc);
      } finally {
        doc.off("update", collect);
      }
      expect(mine.length, "the edit changed nothing").toBeGreaterThan(0);
      const update = Y.mergeUpdates(mine);
      await appendUpdates(db, [{ articleId, room, userId: user.id, update }]);
      Y.applyUpdate(seen[room], update, "sync");
    },
  };
}
