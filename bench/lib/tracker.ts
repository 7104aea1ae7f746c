import { performance } from "node:perf_hooks";

interface InFlight {
  sentAt: number;
  remaining: number;
}

/**
 * Follows every edit made during the measured window from the moment its author makes it until
 * each other client of the room has applied it. All clients live in the harness process, so one
 * clock (performance.now) serves for sending and receiving. An edit is identified by the Yjs id of
 * the one character it inserts: (author's clientID, clock).
 */
export class FanoutTracker {
  recording = false;
  /** Edits made while recording. */
  sent = 0;
  /** Per edit: time until the LAST other client had applied it (ms). */
  readonly lastReceiver: number[] = [];
  /** Per (edit, receiving client): time until that client had applied it (ms). */
  readonly perReceiver: number[] = [];
  private readonly inFlight = new Map<number, Map<number, InFlight>>();

  /** Called by the author just before it makes an edit; `receivers` is the number of other clients in its room. */
  willSend(client: number, clock: number, receivers: number): void {
    if (!this.recording || receivers === 0) return;
    let byClock = this.inFlight.get(client);
    if (!byClock) this.inFlight.set(client, (byClock = new Map()));
    byClock.set(clock, { sentAt: performance.now(), remaining: receivers });
    this.sent++;
  }

  /** Called by a receiving client once it has applied the struct (client, clock). */
  applied(client: number, clock: number, at: number): void {
    const byClock = this.inFlight.get(client);
    const entry = byClock?.get(clock);
    if (!byClock || !entry) return;
    const latency = at - entry.sentAt;
    this.perReceiver.push(latency);
    if (--entry.remaining === 0) {
      this.lastReceiver.push(latency);
      byClock.delete(clock);
    }
  }

  /** Edits that some client has not applied yet. */
  outstanding(): number {
    let n = 0;
    for (const byClock of this.inFlight.values()) n += byClock.size;
    return n;
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of unsorted samples; NaN without samples. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => (sorted.length ? (sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN) : Number.NaN);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: sorted.length, p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: at(100), mean: sorted.length ? sum / sorted.length : Number.NaN };
}
