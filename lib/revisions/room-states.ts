import * as Y from "yjs";
import type { Database, DbOrTx } from "@/db/client";
import { lastLogId, loadRoomAt, seedRoomOnce, type StoredRoom } from "@/db/queries/documents";
import { flushRoomIfLoaded } from "@/lib/room-bus";
import { encodeBodySeed } from "@/model/article-doc";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import { encodeReviewSeed } from "@/model/review";
import { ROOM_KINDS } from "@/model/rooms";

/** The rooms a revision covers (the desk's summary is not part of revisions yet). */
const REVISION_ROOMS = ["body", "review"] as const;

/** Both rooms of an article as full Yjs states. */
export interface ArticleStates {
  body: Uint8Array;
  review: Uint8Array;
}

/** A log position per room: the id of the last row included. */
export interface ArticlePositions {
  body: bigint;
  review: bigint;
}

/** An article's states with the log positions they were read at. */
export interface ArticleSnapshot {
  positions: ArticlePositions;
  states: ArticleStates;
}

/** Asks this process's collaboration server to write what its clients sent, so the log is up to date. */
export async function flushArticleRooms(articleId: string): Promise<void> {
  await Promise.all(ROOM_KINDS.map((room) => flushRoomIfLoaded({ articleId, room })));
}

/**
 * Seeds rooms nobody has opened yet, exactly as the collaboration server would on first load, so that
 * history of an unopened article starts from its imported text rather than from nothing.
 */
export async function seedUnopenedRooms(db: Database, params: { articleId: string; content: ProseMirrorJson }): Promise<void> {
  const { articleId } = params;
  if ((await lastLogId(db, { articleId, room: "body" })) === 0n) {
    await seedRoomOnce(db, { articleId, room: "body", seed: () => encodeBodySeed(params.content) });
  }
  if ((await lastLogId(db, { articleId, room: "review" })) === 0n) {
    await seedRoomOnce(db, { articleId, room: "review", seed: encodeReviewSeed });
  }
}

function rebuild(stored: StoredRoom): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      if (stored.checkpoint) Y.applyUpdate(doc, stored.checkpoint);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** The last log row of each room now. */
export async function currentPositions(db: DbOrTx, params: { articleId: string }): Promise<ArticlePositions> {
  const [body, review] = await Promise.all(REVISION_ROOMS.map((room) => lastLogId(db, { articleId: params.articleId, room })));
  return { body: body!, review: review! };
}

/** Both rooms as they were at the given log positions (checkpoint at or before, plus the log up to there). */
export async function statesAt(db: DbOrTx, params: { articleId: string; positions: ArticlePositions }): Promise<ArticleStates> {
  const { articleId, positions } = params;
  const body = await loadRoomAt(db, { articleId, room: "body", upto: positions.body });
  const review = await loadRoomAt(db, { articleId, room: "review", upto: positions.review });
  return { body: rebuild(body), review: rebuild(review) };
}

/** Both rooms as the log holds them now. */
export async function snapshotNow(db: DbOrTx, params: { articleId: string }): Promise<ArticleSnapshot> {
  const positions = await currentPositions(db, params);
  return { positions, states: await statesAt(db, { articleId: params.articleId, positions }) };
}
