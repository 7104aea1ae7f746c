import * as Y from "yjs";
import type { Database, Transaction } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { logWriters } from "@/db/queries/documents";
import { findArticleForHistory, findLatestRevision, insertRevision, lockArticleHistory } from "@/db/queries/revisions";
import type { Revision } from "@/db/schema";
import { AppError } from "@/lib/errors";
import {
  compareBodies,
  compareThreads,
  deriveRevisionContent,
  revisionStats,
  summariseRevision,
  type Authorship,
  type RevisionKind,
  type RevisionReason,
  type RevisionSummary,
} from "@/model/revisions";
import { readTeamSettings } from "@/model/verdict-scale";
import { flushArticleRooms, seedUnopenedRooms, snapshotNow } from "./room-states";
import { summariseRow } from "./summaries";

export interface CreateRevisionParams {
  teamId: string;
  articleId: string;
  kind: RevisionKind;
  reason: RevisionReason;
  label?: string | null;
  createdBy?: string | null;
  restoredFromNumber?: number | null;
  /** Take nothing (and return null) when neither room's log moved since the previous revision. */
  skipIfUnchanged?: boolean;
}

// A revision's stats count words, not who wrote them; reading the whole body log for names nobody
// shows would make every automatic revision cost as much as a comparison.
const NOBODY: Authorship = { insertedBy: () => null, deletedBy: () => null };

const EMPTY_STATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * Takes a revision inside a transaction that already holds the article's history lock: both rooms'
 * states at their current log positions, their derived content, and stats, summary and
 * contributors measured against the previous revision.
 */
export async function createRevisionLocked(tx: Transaction, params: CreateRevisionParams & { settings: unknown }): Promise<Revision | null> {
  const { teamId, articleId } = params;
  const previous = await findLatestRevision(tx, { teamId, articleId });
  const { positions, states } = await snapshotNow(tx, { articleId });
  if (params.skipIfUnchanged && previous && previous.bodyUpto === positions.body && previous.reviewUpto === positions.review) return null;

  const content = deriveRevisionContent(states);
  const words = compareBodies(previous?.bodyState ?? EMPTY_STATE, states.body, NOBODY);
  const changes = compareThreads(previous?.content.threads ?? [], content.threads, readTeamSettings(params.settings).verdictScale);
  const stats = revisionStats(changes, { wordsAdded: words.wordsAdded, wordsRemoved: words.wordsRemoved });
  const [bodyWriters, reviewWriters] = await Promise.all([
    logWriters(tx, { articleId, room: "body", afterId: previous?.bodyUpto ?? 0n, uptoId: positions.body }),
    logWriters(tx, { articleId, room: "review", afterId: previous?.reviewUpto ?? 0n, uptoId: positions.review }),
  ]);

  const revision = await insertRevision(tx, {
    teamId,
    articleId,
    number: (previous?.number ?? 0) + 1,
    kind: params.kind,
    reason: params.reason,
    label: params.label ?? null,
    createdBy: params.createdBy ?? null,
    bodyUpto: positions.body,
    reviewUpto: positions.review,
    bodyState: states.body,
    reviewState: states.review,
    content,
    stats,
    summary: summariseRevision(stats, changes),
    contributorIds: [...new Set([...bodyWriters, ...reviewWriters])].sort(),
    restoredFromNumber: params.restoredFromNumber ?? null,
  });
  if (revision.kind === "named") {
    await recordAudit(tx, {
      teamId,
      actorId: revision.createdBy,
      action: "revision.create",
      targetType: "article",
      targetId: articleId,
      data: { number: revision.number, label: revision.label },
    });
  }
  return revision;
}

/**
 * Takes a revision of an article now. Rooms loaded in this process are flushed first, so the revision
 * covers everything their clients have sent; revisions of one article are numbered one at a time.
 * Returns null when `skipIfUnchanged` and nothing was written since the previous revision.
 */
export async function createRevision(db: Database, params: CreateRevisionParams): Promise<RevisionSummary | null> {
  const article = await findArticleForHistory(db, params);
  if (!article) throw new AppError("not_found", "No such article.");
  await flushArticleRooms(params.articleId);
  await seedUnopenedRooms(db, { articleId: params.articleId, content: article.content });
  const revision = await db.transaction(async (tx) => {
    await lockArticleHistory(tx, params);
    return createRevisionLocked(tx, { ...params, settings: article.settings });
  });
  return revision && summariseRow(db, revision);
}
