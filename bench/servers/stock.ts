import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import type { RoomSpec } from "../lib/ipc";
import { runChild } from "./child";

// The stock y-websocket server as its own bin wires it: a ws server on an http server, one
// setupWSConnection per socket, the document named by the URL path. No persistence (YPERSISTENCE unset).
await runChild(async () => {
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (ws, req) => setupWSConnection(ws, req));
  const http = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("okay");
  });
  http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  let next = 0;
  return {
    port: (http.address() as AddressInfo).port,
    description: "@y/websocket-server 0.1.1 (setupWSConnection, in memory)",
    async setup(rooms, clientsPerRoom): Promise<RoomSpec[]> {
      return Array.from({ length: rooms }, () => {
        const name = `bench-${next++}`;
        return { name, clients: Array.from({ length: clientsPerRoom }, () => ({ path: `/${name}`, docName: name, token: "" })) };
      });
    },
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
});
