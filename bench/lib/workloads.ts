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
}

export const WORKLOADS: Workload[] = [
  { id: "10-editors", label: "10 editors on 1 article, 2 edits/s each", rooms: 1, clientsPerRoom: 10, typersPerRoom: 10, editsPerSecond: 2 },
  { id: "50-editors", label: "50 editors on 1 article, 2 edits/s each", rooms: 1, clientsPerRoom: 50, typersPerRoom: 50, editsPerSecond: 2 },
  { id: "200-clients", label: "200 clients on 1 article, 10 typing 5 edits/s", rooms: 1, clientsPerRoom: 200, typersPerRoom: 10, editsPerSecond: 5 },
  { id: "200-articles", label: "200 articles x 2 clients, 1 typing 2 edits/s", rooms: 200, clientsPerRoom: 2, typersPerRoom: 1, editsPerSecond: 2 },
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
