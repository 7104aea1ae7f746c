import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { CpuSample, MemorySample, Ready, Reply, Request, ReviewSetup, RoomSpec, ServerTimings } from "./ipc";

type Pending = { resolve: (reply: Reply) => void; reject: (error: Error) => void };
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

/** One benchmark server running in a child process of its own, driven over IPC. */
export class ServerProcess {
  port = 0;
  description = "";
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    child.on("message", (message: Reply | Ready) => {
      if (message.type === "ready") return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === "error") waiter.reject(new Error(message.message));
      else waiter.resolve(message);
    });
    void this.exited.then((code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`server process exited (${code})`));
      this.pending.clear();
    });
  }

  /** Starts `bench/servers/<name>.ts` under `node --expose-gc --import tsx` and waits for its port. */
  static async start(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const child = fork(path.resolve("bench/servers", `${script}.ts`), [], {
      execArgv: ["--expose-gc", "--import", "tsx", ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [])],
      env: { ...process.env, ...env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const server = new ServerProcess(child);
    const ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: no port after 60 s`)), 60_000);
      child.on("message", (message: Reply | Ready) => {
        if (message.type !== "ready") return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${script}: exited (${code}) before listening`));
      });
    });
    server.port = ready.port;
    server.description = ready.description;
    return server;
  }

  private request(body: RequestBody): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...body, id } as Request);
    });
  }

  async setup(rooms: number, clientsPerRoom: number, review?: ReviewSetup): Promise<RoomSpec[]> {
    const reply = await this.request({ type: "setup", rooms, clientsPerRoom, review });
    if (reply.type !== "setup") throw new Error(`unexpected reply ${reply.type}`);
    return reply.rooms;
  }

  /** Memory after forced garbage collections in the child; optionally a heap snapshot written there too. */
  async memory(heapSnapshot?: string): Promise<MemorySample> {
    const reply = await this.request({ type: "memory", heapSnapshot });
    if (reply.type !== "memory") throw new Error(`unexpected reply ${reply.type}`);
    return reply.memory;
  }

  async cpu(): Promise<CpuSample> {
    const reply = await this.request({ type: "cpu" });
    if (reply.type !== "cpu") throw new Error(`unexpected reply ${reply.type}`);
    return reply.cpu;
  }

  async startProfile(): Promise<void> {
    await this.request({ type: "profile-start" });
  }

  /** Stops the CPU profile and has the child write it to `file`. */
  async stopProfile(file: string): Promise<void> {
    await this.request({ type: "profile-stop", file });
  }

  /** Starts (true) or stops (false) the server's own timings; stopping returns what was recorded. */
  async timings(recording: boolean): Promise<ServerTimings> {
    const reply = await this.request({ type: "timings", recording });
    if (reply.type !== "timings") throw new Error(`unexpected reply ${reply.type}`);
    return reply.timings;
  }

  /** Asks the child to stop cleanly; kills it if it takes longer than 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    try {
      await this.request({ type: "stop" }).catch(() => undefined);
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
