import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import { randomUUID } from "node:crypto";
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
    async setup(rooms, clientsPerRoom, review): Promise<RoomSpec[]> {
      if (review) {
        // The same article and review document as ours, under made-up user ids; the first client
        // writes it into the empty document. Nothing is validated here: this is the plain relay.
        // Imported only here, so that the other workloads' stock server loads no Factdesk code.
        const { buildReviewContent, claimForTyper, demoArticle } = await import("../lib/review-content");
        const users = Array.from({ length: clientsPerRoom }, () => randomUUID());
        const { content } = demoArticle();
        return Array.from({ length: rooms }, (_, r) => {
          const name = `bench-${next++}/${review.room}`;
          const built = buildReviewContent(content, users.slice(0, Math.max(1, review.typers)), review, r + 1);
          const seed = review.room === "review" ? built.reviewState : built.bodySeed;
          return {
            name,
            seed: Buffer.from(seed).toString("base64"),
            clients: users.map((userId, i) => ({
              path: `/${name}`,
              docName: name,
              token: "",
              userId,
              claimId: i < review.typers ? claimForTyper(built.claimIds, i, review.typers) : undefined,
            })),
          };
        });
      }
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
