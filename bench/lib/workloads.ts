import type { ReviewSetup } from "./ipc";

/** One load shape, run the same way against every server. */
export interface Workload {
  id: string;
  label: string;
  rooms: number;
  clientsPerRoom: number;
  /** The first `typersPerRoom` clients of each room type; the others only receive. */
  typersPerRoom: number;
  /** Characters per second per typing client. */
  editsPerSecond: number;
  /** "collab" (default): the server comparison; "review": the review validation benchmark (issue 4). */
  suite?: "collab" | "review";
  /** Review workloads: the article, its review document and the room the clients join. */
  review?: ReviewSetup;
  /** Instead of a fixed period of 1/editsPerSecond: a random gap between one client's edits, in ms. */
  gapMs?: [min: number, max: number];
  /** Only these servers run this workload (default: all). */
  servers?: string[];
  /** The measured window is this many times BENCH_SECONDS (default 1): slow workloads need more edits for a p99. */
  measureScale?: number;
  /** Review workloads: the workload this one is compared with (review/body ratios). */
  reference?: string;
}

export const WORKLOADS: Workload[] = [
  // 20 edits/s: a 10 s window would hold 200 samples, whose p99 is the second-largest one.
  { id: "10-editors", label: "10 editors on 1 article, 2 edits/s each", rooms: 1, clientsPerRoom: 10, typersPerRoom: 10, editsPerSecond: 2, measureScale: 3 },
  { id: "50-editors", label: "50 editors on 1 article, 2 edits/s each", rooms: 1, clientsPerRoom: 50, typersPerRoom: 50, editsPerSecond: 2 },
  { id: "200-clients", label: "200 clients on 1 article, 10 typing 5 edits/s", rooms: 1, clientsPerRoom: 200, typersPerRoom: 10, editsPerSecond: 5, measureScale: 2 },
  { id: "200-articles", label: "200 articles x 2 clients, 1 typing 2 edits/s", rooms: 200, clientsPerRoom: 2, typersPerRoom: 1, editsPerSecond: 2 },
];

/**
 * The review benchmark's fan-out workloads (issue 4): one article holding the demo text and a review
 * document of 200 claims with 5 evidence items and 2 messages each; 15 clients, of which 5 write
 * 2–5 times a second (a random gap of 200–500 ms) and 10 only listen. In `review-5-checkers` the
 * writers are checkers typing their own claim's rationale in the review room; in `body-5-editors`,
 * the reference, they are editors typing into the same article's text. Run on ours (with and
 * without PostgreSQL) and, with the same raw Yjs traffic and no validation, on the stock server.
 * They measure twice as long as the others (20 s by default, about 290 edits), for a steadier p99.
 */
const REVIEW_ARTICLE = { typers: 5, claims: 200, evidencePerClaim: 5, messagesPerClaim: 2 };
const REVIEW_SERVERS = ["ours", "ours-pg", "stock"];

export const REVIEW_WORKLOADS: Workload[] = [
  {
    id: "body-5-editors",
    label: "reference: 15 clients on the body of an article with 200 claims, 5 editors typing 2–5 edits/s",
    rooms: 1,
    clientsPerRoom: 15,
    typersPerRoom: 5,
    editsPerSecond: 1000 / 350,
    gapMs: [200, 500],
    measureScale: 2,
    suite: "review",
    review: { room: "body", ...REVIEW_ARTICLE },
    servers: REVIEW_SERVERS,
  },
  {
    id: "review-5-checkers",
    label: "15 clients on the review room of an article with 200 claims / 1,000 evidence items, 5 checkers typing rationales 2–5 updates/s",
    rooms: 1,
    clientsPerRoom: 15,
    typersPerRoom: 5,
    editsPerSecond: 1000 / 350,
    gapMs: [200, 500],
    measureScale: 2,
    suite: "review",
    review: { room: "review", ...REVIEW_ARTICLE },
    servers: REVIEW_SERVERS,
    reference: "body-5-editors",
  },
];

/** A server under test: a script in bench/servers and the environment it runs with. */
export interface ServerDef {
  id: string;
  script: string;
  dialect: "y-websocket" | "hocuspocus";
  /** The websocket URL's origin is ws://127.0.0.1:<port>. */
  env?: Record<string, string>;
  /** One of ours (ratios are computed for these against the reference servers). */
  ours: boolean;
}

export const SERVERS: ServerDef[] = [
  { id: "ours", script: "ours", dialect: "y-websocket", ours: true },
  { id: "stock", script: "stock", dialect: "y-websocket", ours: false },
  { id: "hocuspocus", script: "hocuspocus", dialect: "hocuspocus", ours: false },
];

/** Ours on a real PostgreSQL server, when one is configured. */
export const OURS_ON_POSTGRES: ServerDef = { id: "ours-pg", script: "ours", dialect: "y-websocket", env: { BENCH_OURS_DB: "postgres" }, ours: true };
