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
}

export interface RoomSpec {
  name: string;
  clients: ClientSpec[];
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface CpuSample {
  /** Microseconds of user + system CPU used by the child so far. */
  cpuMicros: number;
  /** `process.hrtime.bigint()` in the child, as a number of nanoseconds. */
  atNanos: number;
  /** The child's event-loop delay since the previous CPU sample: p99 and max, in ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type Request =
  | { id: number; type: "setup"; rooms: number; clientsPerRoom: number }
  | { id: number; type: "memory"; heapSnapshot?: string }
  | { id: number; type: "cpu" }
  | { id: number; type: "profile-start" }
  | { id: number; type: "profile-stop"; file: string }
  | { id: number; type: "stop" };

export type Reply =
  | { id: number; type: "setup"; rooms: RoomSpec[] }
  | { id: number; type: "memory"; memory: MemorySample }
  | { id: number; type: "cpu"; cpu: CpuSample }
  | { id: number; type: "profile-start" }
  | { id: number; type: "profile-stop"; file: string }
  | { id: number; type: "stop" }
  | { id: number; type: "error"; message: string };

/** Sent once, unprompted, when the child listens. */
export interface Ready {
  type: "ready";
  port: number;
  /** What the child wants the harness to know about it (versions, database). */
  description: string;
}
