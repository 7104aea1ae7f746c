import type { Database } from "@/db/client";
import { readLogRows } from "@/db/queries/documents";
import { findArticleForHistory, findRevision, listRevisions } from "@/db/queries/revisions";
import type { Revision } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { ProseMirrorJson } from "@/model/editor-extensions";
import {
  buildAuthorship,
  claimHistory,
  compareBodies,
  compareThreads,
  deriveRevisionContent,
  revisionRef,
  revisionStats,
  type ClaimHistoryResponse,
  type RevisionCompareResponse,
  type RevisionContent,
  type RevisionListResponse,
  type RevisionRef,
  type RevisionViewResponse,
} from "@/model/revisions";
import { readTeamSettings } from "@/model/verdict-scale";
import { peopleByIds, peopleList } from "./people";
import { flushArticleRooms, seedUnopenedRooms, snapshotNow, type ArticlePositions, type ArticleStates } from "./room-states";
import { summariseRow, summariseRows } from "./summaries";

interface ArticleScope {
  teamId: string;
  articleId: string;
}

/** A revision number or `current` from a path segment; anything else is an unknown revision. */
export function parseRevisionRef(value: string): RevisionRef {
  const parsed = revisionRef.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "No such revision.");
  return parsed.data;
}

async function article(db: Database, scope: ArticleScope) {
  const found = await findArticleForHistory(db, scope);
  if (!found) throw new AppError("not_found", "No such article.");
  return found;
}

async function revision(db: Database, scope: ArticleScope, number: number): Promise<Revision> {
  const found = await findRevision(db, { ...scope, number });
  if (!found) throw new AppError("not_found", `No revision ${number}.`);
  return found;
}

/** One side of a view or comparison: a stored revision, or the article now. */
interface Side {
  revision: Revision | null;
  positions: ArticlePositions;
  states: ArticleStates;
  content: RevisionContent;
}

async function side(db: Database, scope: ArticleScope, ref: RevisionRef, now: () => Promise<Side>): Promise<Side> {
  if (ref === "current") return now();
  const stored = await revision(db, scope, ref);
  return {
    revision: stored,
    positions: { body: stored.bodyUpto, review: stored.reviewUpto },
    states: { body: stored.bodyState, review: stored.reviewState },
    content: stored.content,
  };
}

/** The article now, built from the log (after flushing this process's rooms), never stored. */
function currentSide(db: Database, scope: ArticleScope, content: ProseMirrorJson): () => Promise<Side> {
  let built: Promise<Side> | undefined;
  return () =>
    (built ??= (async () => {
      await flushArticleRooms(scope.articleId);
      await seedUnopenedRooms(db, { articleId: scope.articleId, content });
      const { positions, states } = await snapshotNow(db, scope);
      return { revision: null, positions, states, content: deriveRevisionContent(states) };
    })());
}

/** A page of an article's revisions, newest first. */
export async function listRevisionPage(db: Database, params: ArticleScope & { limit: number; before?: number }): Promise<RevisionListResponse> {
  const rows = await listRevisions(db, { ...params, limit: params.limit + 1 });
  const page = rows.slice(0, params.limit);
  return { revisions: await summariseRows(db, page), nextBefore: rows.length > params.limit ? (page.at(-1)?.number ?? null) : null };
}

/** One revision's content for the read-only view, or the article's content now for `current`. */
export async function viewRevision(db: Database, params: ArticleScope & { ref: RevisionRef }): Promise<RevisionViewResponse> {
  const found = await article(db, params);
  const shown = await side(db, params, params.ref, currentSide(db, params, found.content));
  return { revision: shown.revision && (await summariseRow(db, shown.revision)), content: shown.content };
}

/**
 * What changed between two revisions (either may be `current`): the text inline, with who inserted
 * and deleted each run taken from the body log, and the annotation changes.
 */
export async function compareRevisions(db: Database, params: ArticleScope & { from: RevisionRef; to: RevisionRef }): Promise<RevisionCompareResponse> {
  const found = await article(db, params);
  const now = currentSide(db, params, found.content);
  const from = await side(db, params, params.from, now);
  const to = await side(db, params, params.to, now);

  const afterId = from.positions.body < to.positions.body ? from.positions.body : to.positions.body;
  const uptoId = from.positions.body < to.positions.body ? to.positions.body : from.positions.body;
  const rows = await readLogRows(db, { articleId: params.articleId, room: "body", uptoId });
  const body = compareBodies(from.states.body, to.states.body, buildAuthorship(rows, { afterId, uptoId }));
  const annotations = compareThreads(from.content.threads, to.content.threads, readTeamSettings(found.settings).verdictScale);
  const stats = revisionStats(annotations, { wordsAdded: body.wordsAdded, wordsRemoved: body.wordsRemoved });

  const authorIds = [
    ...body.paragraphs.flatMap((p) => p.segments.map((s) => s.by)),
    ...annotations.flatMap((c) => (c.kind === "messages-added" ? c.authorIds : [])),
  ];
  const people = await peopleByIds(db, authorIds);
  const summaries = await summariseRows(db, [from.revision, to.revision].filter((r): r is Revision => r !== null));
  const summaryOf = (r: Revision | null) => (r ? (summaries.find((s) => s.id === r.id) ?? null) : null);
  return {
    from: summaryOf(from.revision),
    to: summaryOf(to.revision),
    paragraphs: body.paragraphs,
    annotations,
    stats,
    authors: peopleList(people, authorIds),
  };
}

/** Every change to one claim, replayed from the review log, each attributed to the user whose row made it. */
export async function claimHistoryOf(db: Database, params: ArticleScope & { claimId: string }): Promise<ClaimHistoryResponse> {
  const found = await article(db, params);
  await flushArticleRooms(params.articleId);
  const rows = await readLogRows(db, { articleId: params.articleId, room: "review" });
  const entries = claimHistory(rows, params.claimId, readTeamSettings(found.settings).verdictScale);
  if (!entries.length) throw new AppError("not_found", "No such claim.");
  const people = await peopleByIds(db, entries.map((e) => e.by));
  return { entries, people: peopleList(people, entries.map((e) => e.by)) };
}
