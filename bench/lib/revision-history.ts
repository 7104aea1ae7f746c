import { randomBytes } from "node:crypto";
import postgres from "postgres";
import * as Y from "yjs";
import { openDatabase, type Database, type DatabaseHandle } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { createArticle } from "@/db/queries/articles";
import { appendUpdates, countRoomUpdates, writeCheckpoint, type RoomRef } from "@/db/queries/documents";
import { addMember } from "@/db/queries/members";
import { findRevision } from "@/db/queries/revisions";
import { createTeam } from "@/db/queries/teams";
import { createUser } from "@/db/queries/users";
import { compareRevisions, createRevision, listRevisionPage, viewRevision } from "@/lib/revisions";
import { statesAt } from "@/lib/revisions/room-states";
import { encodeBodySeed } from "@/model/article-doc";
import { addEvidence, addMessage, createThread, encodeReviewSeed, setResolved, threadsMap, updateClaim } from "@/model/review";
import { deriveRevisionContent } from "@/model/revisions";
import { DEFAULT_VERDICT_SCALE } from "@/model/verdict-scale";
import { demoArticle, evidenceInput, pickFrom, prose, randomAnchor, textNodes } from "./review-content";
import { seededRandom } from "../../tests/support/ports";
import { summarize, type LatencySummary } from "./tracker";

/**
 * The revision history benchmark (issue 5): an article with 5,000 logged updates (4,000 body edits
 * by two editors, 1,000 review changes by two checkers) and 200 revisions, one every 25 updates,
 * with a checkpoint every 200 rows per room as the collaboration server writes them. Then, on that
 * article, the time to list revisions (a page of 20), to rebuild a revision from checkpoints plus
 * the log, to view one through the API's path, and to compare two.
 */
export interface RevisionHistoryOptions {
  updates: number;
  revisions: number;
  /** Timed calls per operation. */
  samples: number;
}

export const DEFAULT_REVISION_HISTORY_OPTIONS: RevisionHistoryOptions = { updates: 5_000, revisions: 200, samples: 60 };

export interface RevisionHistoryResult {
  database: "embedded" | "postgres";
  options: RevisionHistoryOptions;
  setupMs: number;
  logRows: number;
  revisions: number;
  timings: Record<"list" | "rebuild" | "view" | "compare" | "compareWithCurrent", LatencySummary>;
}

const CHECKPOINT_EVERY_ROWS = 200;

export async function openDatabaseFor(kind: "embedded" | "postgres"): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (kind === "embedded") {
    const embedded = await startEmbeddedPostgres();
    const handle = openDatabase(embedded.url, { embedded: true });
    return { handle, drop: async () => (await handle.close(), await embedded.stop()) };
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("the PostgreSQL run needs BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const name = `factdesk_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString(), { max: 4 });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** A room as its writers and the server see it: one document per writer, the server's copy for checkpoints. */
class ScriptedRoom {
  readonly server = new Y.Doc();
  private rows = 0;

  constructor(
    private readonly db: Database,
    readonly ref: RoomRef,
    seed: Uint8Array,
    readonly writers: Map<string, Y.Doc>,
  ) {
    Y.applyUpdate(this.server, seed);
    for (const doc of writers.values()) Y.applyUpdate(doc, seed);
  }

  /** One log row: `userId` changes their copy, the change goes to the log and to everyone else. */
  async write(userId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const doc = this.writers.get(userId)!;
    // The transaction's own update, as a client sends it (a diff against a state vector would carry
    // the whole delete set every time).
    const made: Uint8Array[] = [];
    const collect = (u: Uint8Array) => made.push(u);
    doc.on("update", collect);
    change(doc);
    doc.off("update", collect);
    if (!made.length) return;
    const update = made.length === 1 ? made[0]! : Y.mergeUpdates(made);
    for (const other of [this.server, ...this.writers.values()]) if (other !== doc) Y.applyUpdate(other, update);
    const last = await appendUpdates(this.db, [{ ...this.ref, userId, update }]);
    if (++this.rows % CHECKPOINT_EVERY_ROWS === 0) {
      await writeCheckpoint(this.db, { ...this.ref, state: Y.encodeStateAsUpdate(this.server), uptoUpdateId: [...last.values()][0]! });
    }
  }
}

export async function buildHistory(db: Database, options: RevisionHistoryOptions) {
  const run = randomBytes(3).toString("hex");
  const user = (role: string) => createUser(db, { email: `bench-${run}-${role}@example.test`, name: role, passwordHash: null });
  const owner = await user("owner");
  const editors = [await user("editor-a"), await user("editor-b")];
  const checkers = [await user("checker-a"), await user("checker-b")];
  const team = await createTeam(db, { name: `History bench ${run}`, ownerId: owner.id });
  for (const u of editors) await addMember(db, { teamId: team.id, userId: u.id, role: "editor" });
  for (const u of checkers) await addMember(db, { teamId: team.id, userId: u.id, role: "checker" });
  const { title, content } = demoArticle();
  const article = await createArticle(db, { teamId: team.id, createdBy: owner.id, article: { title, content } });

  // The server's own first rows, as it seeds a room on first load.
  const bodySeed = encodeBodySeed(content);
  const reviewSeed = encodeReviewSeed();
  await appendUpdates(db, [
    { articleId: article.id, room: "body", userId: null, update: bodySeed },
    { articleId: article.id, room: "review", userId: null, update: reviewSeed },
  ]);
  const body = new ScriptedRoom(db, { articleId: article.id, room: "body" }, bodySeed, new Map(editors.map((u) => [u.id, new Y.Doc()])));
  const review = new ScriptedRoom(db, { articleId: article.id, room: "review" }, reviewSeed, new Map(checkers.map((u) => [u.id, new Y.Doc()])));

  const rand = seededRandom(5);
  const claims: string[] = [];
  const every = Math.floor(options.updates / options.revisions);
  for (let n = 1; n <= options.updates; n++) {
    if (n % 5 === 0) {
      // One update in five is the review's: flag a claim, rule on it, add evidence, discuss, resolve.
      const by = pickFrom(rand, checkers).id;
      await review.write(by, (doc) => {
        const roll = rand();
        if (!claims.length || roll < 0.15) {
          claims.push(createThread(doc, { kind: "claim", anchor: randomAnchor(rand, textNodes(body.server)), by, claim: { claimant: "Ministry" } }));
          return;
        }
        const claim = pickFrom(rand, claims);
        if (!threadsMap(doc).has(claim)) return;
        if (roll < 0.35) updateClaim(doc, claim, { by, patch: { verdict: pickFrom(rand, DEFAULT_VERDICT_SCALE).key, rationale: prose(rand, 30) } });
        else if (roll < 0.6) addEvidence(doc, claim, { by, evidence: evidenceInput(rand, n) });
        else if (roll < 0.9) addMessage(doc, claim, { by, body: prose(rand, 15), mentions: [] });
        else setResolved(doc, claim, { by, resolved: rand() < 0.7 });
      });
    } else {
      // The rest are the editors' typing: a few words in, now and then a passage out.
      const by = pickFrom(rand, editors).id;
      await body.write(by, (doc) => {
        const node = pickFrom(rand, textNodes(doc).filter((t) => t.length > 0));
        if (rand() < 0.2 && node.length > 40) node.delete(Math.floor(rand() * (node.length - 20)), 5 + Math.floor(rand() * 15));
        else node.insert(Math.floor(rand() * node.length), ` ${prose(rand, 1 + Math.floor(rand() * 3)).slice(0, -1)}`);
      });
    }
    if (n % every === 0) await createRevision(db, { teamId: team.id, articleId: article.id, kind: "auto", reason: "idle" });
  }
  return { teamId: team.id, articleId: article.id };
}

async function timeEach(samples: number, task: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  const times: number[] = [];
  await task(0); // once untimed, so that the first call's lazy set-up is not a sample
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await task(i);
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

/** Builds the article's history on a fresh database of `kind`, then times the four operations. */
export async function runRevisionHistoryBench(kind: "embedded" | "postgres", options: RevisionHistoryOptions): Promise<RevisionHistoryResult> {
  const { handle, drop } = await openDatabaseFor(kind);
  try {
    const { db } = handle;
    await runMigrations(db);
    const setupStart = performance.now();
    const scope = await buildHistory(db, options);
    const setupMs = performance.now() - setupStart;
    const rand = seededRandom(11);
    const someRevision = () => 1 + Math.floor(rand() * options.revisions);
    // A check that the article holds what was asked for (plus the two seed rows).
    const logRows = (await countRoomUpdates(db, { articleId: scope.articleId, room: "body" })) + (await countRoomUpdates(db, { articleId: scope.articleId, room: "review" }));
    const timings = {
      list: await timeEach(options.samples, (i) => listRevisionPage(db, { ...scope, limit: 20, before: i % 2 ? someRevision() + 1 : undefined })),
      rebuild: await timeEach(options.samples, async () => {
        const revision = (await findRevision(db, { ...scope, number: someRevision() }))!;
        return deriveRevisionContent(await statesAt(db, { articleId: scope.articleId, positions: { body: revision.bodyUpto, review: revision.reviewUpto } }));
      }),
      view: await timeEach(options.samples, () => viewRevision(db, { ...scope, ref: someRevision() })),
      compare: await timeEach(options.samples, () => {
        const [a, b] = [someRevision(), someRevision()].sort((x, y) => x - y);
        return compareRevisions(db, { ...scope, from: a!, to: b === a ? b! + (b! < options.revisions ? 1 : -1) : b! });
      }),
      compareWithCurrent: await timeEach(options.samples, () => compareRevisions(db, { ...scope, from: someRevision(), to: "current" })),
    };
    return { database: kind, options, setupMs, logRows, revisions: options.revisions, timings };
  } finally {
    await drop();
  }
}

/** The results as a Markdown table: p50 / p95 / max per operation and database, against the targets. */
export function renderRevisionHistory(results: RevisionHistoryResult[]): string {
  if (!results.length) return "";
  const targets: Record<keyof RevisionHistoryResult["timings"], number> = { list: 50, rebuild: 300, view: 300, compare: 300, compareWithCurrent: 300 };
  const label: Record<keyof RevisionHistoryResult["timings"], string> = {
    list: "list revisions (a page of 20)",
    rebuild: "rebuild a revision from checkpoints + log",
    view: "view a revision (API path, stored state)",
    compare: "compare two revisions",
    compareWithCurrent: "compare a revision with now",
  };
  const lines = [
    "| database | operation | p50 (ms) | p95 (ms) | max (ms) | target p95 (ms) | p95 / target |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const result of results) {
    for (const key of Object.keys(targets) as (keyof typeof targets)[]) {
      const t = result.timings[key];
      lines.push(`| ${result.database} | ${label[key]} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.max.toFixed(1)} | ${targets[key]} | ${(t.p95 / targets[key]).toFixed(2)} |`);
    }
  }
  const r = results[0]!;
  return `Revision history: ${r.logRows} log rows, ${r.revisions} revisions, ${r.options.samples} timed calls per operation\n\n${lines.join("\n")}`;
}
