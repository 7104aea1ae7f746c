/**
 * The messages between the harness (bench/run.ts) and a server child process (bench/servers/*.ts).
 * Every request carries an id; the child answers with the same id.
 */

/** How a client reaches one of its rooms. */
export interface ClientSpec {
  /** Path and query of the websocket URL, e.g. `/collab/<id>/body?ticket=…`. */
  path: string;
  /** The document name on the wire (Hocuspocus prefixes every frame with it). */
  docName: string;
  /** Sent in Hocuspocus's Auth frame; ours carries its ticket in the query instead. */
  token: string;
  /** Review workloads: the user this client writes as (the `by` of its review changes). */
  userId?: string;
  /** Review workloads: the claim whose rationale this client types, if it types. */
  claimId?: string;
}

export interface RoomSpec {
  name: string;
  clients: ClientSpec[];
  /**
   * For servers that start with empty documents: the update (base64) the first client writes before
   * the others join. Without it the first client writes the one-paragraph seed article.
   */
  seed?: string;
}

/**
 * Review workloads: one article holding the demo text and a review document of `claims` claims
 * (ours stores both in the database before any client connects). The clients join `room`; the first
 * `typers` write (checkers in `review`, editors in `body`), the others are viewers.
 */
export interface ReviewSetup {
  room: "body" | "review";
  typers: number;
  claims: number;
  evidencePerClaim: number;
  messagesPerClaim: number;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Bytes of V8's code spaces (machine code the JIT compiled), part of heapUsed. */
  compiledCode: number;
  /** Bytes of every heap object but code and its metadata, from a heap snapshot (added by the harness). */
  heapWithoutCode?: number;
}

export interface CpuSample {
  /** Microseconds of user + system CPU used by the child so far, with its own helper processes (ours: the embedded database). */
  cpuMicros: number;
  /** `process.hrtime.bigint()` in the child, as a number of nanoseconds. */
  atNanos: number;
  /** The child's event-loop delay since the previous CPU sample: p99 and max, in ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type Request =
  | { id: number; type: "setup"; rooms: number; clientsPerRoom: number; review?: ReviewSetup }
  | { id: number; type: "memory"; heapSnapshot?: string }
  | { id: number; type: "cpu" }
  | { id: number; type: "profile-start" }
  | { id: number; type: "profile-stop"; file: string }
  | { id: number; type: "timings"; recording: boolean }
  | { id: number; type: "stop" };

/**
 * Durations (ms) the server measured inside itself while recording, by name (e.g. the time of each
 * `guard.check`); only servers that instrument themselves report any.
 */
export type ServerTimings = Record<string, number[]>;

export type Reply =
  | { id: number; type: "setup"; rooms: RoomSpec[] }
  | { id: number; type: "memory"; memory: MemorySample }
  | { id: number; type: "cpu"; cpu: CpuSample }
  | { id: number; type: "profile-start" }
  | { id: number; type: "profile-stop"; file: string }
  | { id: number; type: "timings"; timings: ServerTimings }
  | { id: number; type: "stop" }
  | { id: number; type: "error"; message: string };

/** Sent once, unprompted, when the child listens. */
export interface Ready {
  type: "ready";
  port: number;
  /** What the child wants the harness to know about it (versions, database). */
  description: string;
}
