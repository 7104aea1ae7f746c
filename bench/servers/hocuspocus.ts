import { Server } from "@hocuspocus/server";
import type { RoomSpec } from "../lib/ipc";
import { runChild } from "./child";

// Hocuspocus 4 with its defaults (flushDelay 0, debounce 2 s, no extensions, no persistence),
// listening through its own Server (crossws over ws).
await runChild(async () => {
  const server = new Server({ port: 0, address: "127.0.0.1", quiet: true, stopOnSignals: false });
  await server.listen();
  let next = 0;
  return {
    port: server.address.port,
    description: "@hocuspocus/server 4.7.0 (Server.listen, defaults, in memory)",
    async setup(rooms, clientsPerRoom): Promise<RoomSpec[]> {
      return Array.from({ length: rooms }, () => {
        const name = `bench-${next++}`;
        return { name, clients: Array.from({ length: clientsPerRoom }, () => ({ path: "/", docName: name, token: "bench" })) };
      });
    },
    async stop() {
      await server.destroy();
    },
  };
});
