import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { addEvidence, addMessage, readThreads, threadsMap, updateClaim, type ClaimState, SETTABLE_CLAIM_STATES } from "@/model/review";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import type { RoomStore } from "@/server/collab/persistence";
import { Room, type RoomPeer } from "@/server/collab/room";
import { UpdateWriter } from "@/server/collab/update-writer";
import { buildReviewContent, demoArticle, evidenceInput, pickFrom, prose, textNodes, type ReviewContentOptions } from "./review-content";
import { seededRandom } from "../../tests/support/ports";
import { summarize, type LatencySummary } from "./tracker";

/**
 * The cost of validating one review update, in-process, without sockets or a database: exactly
 * what our server does with a peer's update to a review room (`Connection.write`:
 * `room.guard.check`, then `room.applyUpdate`), against what it does with an editor's
 * one-character insert into the body (`room.applyUpdate` only). Both are real `Room`s
 * (server/collab/room.ts), so the room's own listeners count too (relay encoding, the write-behind
 * buffer, the review room's change tracking for the projection); the database behind them is a stub
 * whose writes happen after the measurement. Both rooms get their updates in the same loop,
 * alternating, so machine noise hits both alike.
 */

export const REVIEW_OP_KINDS = ["rationale", "verdict", "state", "assignee", "evidence", "message"] as const;
export type ReviewOpKind = (typeof REVIEW_OP_KINDS)[number];
/** How often each kind of change occurs (a checker mostly writes rationale). */
const OP_WEIGHTS: Record<ReviewOpKind, number> = { rationale: 0.6, verdict: 0.1, state: 0.1, assignee: 0.05, evidence: 0.05, message: 0.1 };

export interface ValidationOptions extends ReviewContentOptions {
  /** Measured updates per room. */
  updates: number;
  /** Updates per room applied before measuring (JIT warm-up). */
  warmup: number;
  /** Checker clients writing review updates, and editor clients typing into the body. */
  writers: number;
  /**
   * 0: back to back (a hot loop: the best case). Otherwise a pause of this many ms after each pair
   * of updates, as in a live room where updates arrive a few times a second and the process does
   * other things (or nothing) in between: caches and the JIT's state are then colder.
   */
  paceMs: number;
}

export const DEFAULT_VALIDATION_OPTIONS: ValidationOptions = { claims: 200, evidencePerClaim: 5, messagesPerClaim: 2, updates: 2000, warmup: 200, writers: 5, paceMs: 0 };
/** The paced variant: fewer updates, 20 ms apart (about 10 s). */
export const PACED_VALIDATION_OPTIONS: ValidationOptions = { ...DEFAULT_VALIDATION_OPTIONS, updates: 400, warmup: 50, paceMs: 20 };

export interface ValidationResult {
  options: ValidationOptions;
  bodyDocBytes: number;
  reviewDocBytes: number;
  threads: number;
  evidenceAtStart: number;
  evidenceAtEnd: number;
  /** Mean size of one review update and one body update (bytes). */
  reviewUpdateBytes: number;
  bodyUpdateBytes: number;
  /** Body room: `room.applyUpdate` of a one-character insert (ms). */
  body: LatencySummary;
  /** Review room: `room.guard.check` + `room.applyUpdate` (ms). */
  review: LatencySummary;
  reviewCheck: LatencySummary;
  reviewApply: LatencySummary;
  /** `guard.check` + apply per kind of change (ms). */
  byKind: Record<string, LatencySummary>;
  /** For scale, not per update: `readThreads` of the whole review document (a full projection, an export). */
  projectionRead: LatencySummary;
  refused: number;
  durationMs: number;
}

interface ReviewUpdate {
  kind: ReviewOpKind;
  update: Uint8Array;
  actor: { userId: string; role: "checker" };
}

/** The one update a local change produces. */
function capture(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on("update", record);
  try {
    change();
  } finally {
    doc.off("update", record);
  }
  if (updates.length !== 1) throw new Error(`expected one update, got ${updates.length}`);
  return updates[0] as Uint8Array;
}

function synced(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

function pickKind(rand: () => number): ReviewOpKind {
  let r = rand();
  for (const kind of REVIEW_OP_KINDS) {
    r -= OP_WEIGHTS[kind];
    if (r < 0) return kind;
  }
  return "rationale";
}

function claimMap(doc: Y.Doc, threadId: string): Y.Map<unknown> {
  const claim = threadsMap(doc).get(threadId)?.get("claim");
  if (!(claim instanceof Y.Map)) throw new Error(`no claim ${threadId}`);
  return claim;
}

function countEvidence(doc: Y.Doc): number {
  let n = 0;
  for (const thread of threadsMap(doc).values()) {
    const evidence = thread.get("evidence");
    if (evidence instanceof Y.Map) n += evidence.size;
  }
  return n;
}

/** A checker's realistic single change to a random claim, as the sidebar makes it. */
function reviewChange(rand: () => number, doc: Y.Doc, by: string, users: readonly string[], claimIds: readonly string[], n: number): { kind: ReviewOpKind; change: () => void } {
  const kind = pickKind(rand);
  const id = pickFrom(rand, claimIds);
  const claim = claimMap(doc, id);
  switch (kind) {
    case "rationale": {
      // The rationale grows as the checker types (the field is sent a few characters at a time).
      const current = String(claim.get("rationale") ?? "");
      const next = current.length > 9_000 ? prose(rand, 5) : `${current} ${prose(rand, 1 + Math.floor(rand() * 2)).slice(0, -1)}`;
      return { kind, change: () => updateClaim(doc, id, { by, patch: { rationale: next } }) };
    }
    case "verdict": {
      const current = claim.get("verdict");
      const choices = DEFAULT_VERDICT_SCALE.filter((v) => v.key !== current);
      return { kind, change: () => updateClaim(doc, id, { by, patch: { verdict: pickFrom(rand, choices).key } }) };
    }
    case "state": {
      const current = claim.get("state");
      const choices = SETTABLE_CLAIM_STATES.filter((s) => s !== current);
      return { kind, change: () => updateClaim(doc, id, { by, patch: { state: pickFrom(rand, choices) as ClaimState } }) };
    }
    case "assignee":
      return { kind, change: () => updateClaim(doc, id, { by, patch: { assigneeId: pickFrom(rand, users) } }) };
    case "evidence":
      return { kind, change: () => void addEvidence(doc, id, { by, evidence: evidenceInput(rand, 100_000 + n) }) };
    case "message":
      return { kind, change: () => void addMessage(doc, id, { by, body: prose(rand, 8 + Math.floor(rand() * 30)), mentions: [] }) };
  }
}

/** A store that keeps nothing: the rooms' write-behind goes nowhere (and only after the measured loop). */
const NULL_STORE: RoomStore = {
  load: () => Promise.reject(new Error("not used")),
  append: async () => new Map(),
  touch: async () => {},
  checkpoint: async () => {},
  readAfter: async () => [],
};

/** A room as the registry loads it, with `state` as its stored content. */
function loadRoom(kind: "body" | "review", state: Uint8Array, writer: UpdateWriter): Room {
  return new Room({ articleId: randomUUID(), room: kind }, randomUUID(), NULL_STORE, writer, { state, lastUpdateId: 1n, rowsSinceCheckpoint: 1 }, { scale: DEFAULT_VERDICT_SCALE });
}

/** Runs the validation micro-benchmark. */
export async function runValidationBench(options: ValidationOptions = DEFAULT_VALIDATION_OPTIONS): Promise<ValidationResult> {
  const started = performance.now();
  const rand = seededRandom(42);
  const users = Array.from({ length: options.writers }, () => randomUUID());
  const { content } = demoArticle();
  const built = buildReviewContent(content, users, options);
  const total = options.warmup + options.updates;

  // The two rooms, as the server loads them.
  const writer = new UpdateWriter(NULL_STORE);
  const bodyRoom = loadRoom("body", built.bodySeed, writer);
  const reviewRoom = loadRoom("review", built.reviewState, writer);
  const guard = reviewRoom.guard;
  if (!guard) throw new Error("a review room has a guard");
  const evidenceAtStart = countEvidence(reviewRoom.doc);

  // The clients: every update is generated in order and reaches the other clients before the next
  // one is made, as in a live room; the room then gets them in that same order.
  const editors = users.map(() => synced(built.bodySeed));
  const checkers = users.map(() => synced(built.reviewState));
  const bodyUpdates: Uint8Array[] = [];
  const reviewUpdates: ReviewUpdate[] = [];
  for (let i = 0; i < total; i++) {
    const w = i % options.writers;
    const editor = editors[w] as Y.Doc;
    const nodes = textNodes(editor);
    const node = pickFrom(rand, nodes);
    const index = Math.floor(rand() * (node.length + 1));
    const bodyUpdate = capture(editor, () => node.insert(index, String.fromCharCode(97 + (i % 26))));
    editors.forEach((doc, j) => j !== w && Y.applyUpdate(doc, bodyUpdate));
    bodyUpdates.push(bodyUpdate);

    const checker = checkers[w] as Y.Doc;
    const by = users[w] as string;
    const { kind, change } = reviewChange(rand, checker, by, users, built.claimIds, i);
    const reviewUpdate = capture(checker, change);
    checkers.forEach((doc, j) => j !== w && Y.applyUpdate(doc, reviewUpdate));
    reviewUpdates.push({ kind, update: reviewUpdate, actor: { userId: by, role: "checker" } });
  }
  for (const doc of [...editors, ...checkers]) doc.destroy();

  // The measured loop: one peer in each room, the author (as Connection passes itself); what the
  // room relays to it goes nowhere.
  const peer: RoomPeer = { userId: users[0] as string, send: () => {} };
  bodyRoom.peers.add(peer);
  reviewRoom.peers.add(peer);
  const body: number[] = [];
  const review: number[] = [];
  const reviewCheck: number[] = [];
  const reviewApply: number[] = [];
  const byKind = new Map<ReviewOpKind, number[]>();
  let refused = 0;
  const timeBody = (update: Uint8Array) => {
    const t0 = performance.now();
    bodyRoom.applyUpdate(update, peer);
    return performance.now() - t0;
  };
  const timeReview = ({ update, actor }: ReviewUpdate) => {
    const t0 = performance.now();
    const verdict = guard.check(update, actor);
    const t1 = performance.now();
    if (verdict.ok) reviewRoom.applyUpdate(update, peer);
    const t2 = performance.now();
    return { ok: verdict.ok, reason: verdict.ok ? "" : verdict.reason, check: t1 - t0, apply: t2 - t1 };
  };
  for (let i = 0; i < total; i++) {
    if (options.paceMs > 0) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
    const bodyUpdate = bodyUpdates[i] as Uint8Array;
    const reviewUpdate = reviewUpdates[i] as ReviewUpdate;
    // Alternate which room goes first, so neither always runs on a warmer cache.
    let bodyMs: number;
    let r: ReturnType<typeof timeReview>;
    if (i % 2) {
      bodyMs = timeBody(bodyUpdate);
      r = timeReview(reviewUpdate);
    } else {
      r = timeReview(reviewUpdate);
      bodyMs = timeBody(bodyUpdate);
    }
    if (!r.ok) {
      refused++;
      if (refused === 1) console.error(`review validation bench: an honest update was refused (${reviewUpdate.kind}): ${r.reason}`);
    }
    if (i < options.warmup) continue;
    body.push(bodyMs);
    review.push(r.check + r.apply);
    reviewCheck.push(r.check);
    reviewApply.push(r.apply);
    const list = byKind.get(reviewUpdate.kind) ?? [];
    list.push(r.check + r.apply);
    byKind.set(reviewUpdate.kind, list);
  }

  const projectionRead: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    readThreads(reviewRoom.doc);
    projectionRead.push(performance.now() - t0);
  }

  const mean = (updates: Uint8Array[]) => updates.reduce((n, u) => n + u.byteLength, 0) / Math.max(1, updates.length);
  const result: ValidationResult = {
    options,
    bodyDocBytes: Y.encodeStateAsUpdate(bodyRoom.doc).byteLength,
    reviewDocBytes: Y.encodeStateAsUpdate(reviewRoom.doc).byteLength,
    threads: threadsMap(reviewRoom.doc).size,
    evidenceAtStart,
    evidenceAtEnd: countEvidence(reviewRoom.doc),
    reviewUpdateBytes: mean(reviewUpdates.map((u) => u.update)),
    bodyUpdateBytes: mean(bodyUpdates),
    body: summarize(body),
    review: summarize(review),
    reviewCheck: summarize(reviewCheck),
    reviewApply: summarize(reviewApply),
    byKind: Object.fromEntries(REVIEW_OP_KINDS.filter((k) => byKind.has(k)).map((k) => [k, summarize(byKind.get(k) ?? [])])),
    projectionRead: summarize(projectionRead),
    refused,
    durationMs: performance.now() - started,
  };
  await Promise.all([bodyRoom.close(), reviewRoom.close()]);
  return result;
}
