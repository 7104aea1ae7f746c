"use client";

import { useEffect, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CLOSE_CODES, describeClose, FINAL_CLOSE_CODES } from "@/model/close-codes";
import type { Role } from "@/model/roles";
import { PUBLICATION_CHANGED_MESSAGE, type RoomKind } from "@/model/rooms";
import type { CollabTicketResponse } from "@/model/schemas";

export type ConnectionState = "connecting" | "syncing" | "connected" | "offline" | "stopped";

export interface RoomSession {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the document holds content, from this browser's copy or from the server. */
  ready: boolean;
}

export interface CollabSession {
  body: RoomSession;
  review: RoomSession;
  /** The desk's summary of the article, written together like the body. */
  summary: RoomSession;
  /** The role the server confirmed with the latest ticket. */
  role: Role;
  state: ConnectionState;
  /** Why the session stopped, when it did; or why it is waiting to reconnect (the server cannot save right now). */
  message?: string;
  /** Counts the server's notices that the article's publication changed: read it again when this moves. */
  publicationChanges: number;
}

class TicketError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function fetchTicket(articleId: string): Promise<CollabTicketResponse> {
  const res = await fetch(`/api/articles/${articleId}/collab-ticket`, { method: "POST", cache: "no-store" });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new TicketError(res.status, (body as { error?: { message?: string } } | null)?.error?.message ?? `ticket refused (${res.status})`);
  return body as CollabTicketResponse;
}

const MAX_BACKOFF_MS = 10_000;
/**
 * After the server said it cannot save (close code storageUnavailable), wait at least this long,
 * plus up to as much again at random, so that a desk's browsers do not all come back at once to a
 * server that is still catching up.
 */
const STORAGE_RETRY_MS = 5_000;
/** How long a room must stay connected after such a refusal before the notice is cleared. */
const STORAGE_NOTICE_CLEAR_MS = 5_000;

/** The rooms a session opens, in the order `publish` reads them. */
const SESSION_ROOMS = ["body", "review", "summary"] as const satisfies readonly RoomKind[];

/** Where the reason of a refused change waits across the reload that follows it. */
export const REFUSED_KEY = "factdesk:refused";

/**
 * Opens the article's rooms: each a Y.Doc kept in IndexedDB (so offline edits survive a closed tab)
 * and synced over y-websocket. Before every connect and reconnect a fresh ticket is fetched, so a
 * changed role takes effect and an expired ticket is never reused. Close codes that retrying cannot
 * fix stop the session with a message.
 */
export function useCollabSession(articleId: string, userId: string, initialRole: Role): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);

  useEffect(() => {
    let disposed = false;
    let stopped: string | undefined;
    let role = initialRole;
    let attempt = 0;
    let publicationChanges = 0;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let ticket: Promise<CollabTicketResponse> | undefined;
    // Set while the server cannot save: the edits stay in IndexedDB and go out once it accepts them.
    let notice: string | undefined;
    let noticeTimer: ReturnType<typeof setTimeout> | undefined;

    const rooms = SESSION_ROOMS.map((kind) => {
      const doc = new Y.Doc();
      const local = new IndexeddbPersistence(`factdesk:${userId}:${articleId}/${kind}`, doc);
      const provider = new WebsocketProvider("", `${articleId}/${kind}`, doc, {
        connect: false,
        disableBc: true,
        maxBackoffTime: MAX_BACKOFF_MS,
        shouldReconnect: () => false,
      });
      // Carets are shown in the rich-text rooms only; the review room has no one to point at.
      if (kind === "review") provider.awareness.setLocalState(null);
      if (kind === "body") {
        provider.messageHandlers[PUBLICATION_CHANGED_MESSAGE] = () => {
          publicationChanges++;
          publish();
        };
      }
      return { kind, doc, local, provider, localLoaded: false };
    });

    const publish = () => {
      if (disposed) return;
      const online = typeof navigator === "undefined" || navigator.onLine;
      const connected = rooms.every((r) => r.provider.wsconnected);
      const synced = rooms.every((r) => r.provider.synced);
      const state: ConnectionState = stopped ? "stopped" : !online ? "offline" : connected && synced ? "connected" : connected ? "syncing" : attempt > 1 ? "offline" : "connecting";
      const roomSession = (r: (typeof rooms)[number]): RoomSession => ({
        doc: r.doc,
        provider: r.provider,
        ready: r.provider.synced || (r.localLoaded && r.doc.share.size > 0),
      });
      const [body, review, summary] = rooms.map(roomSession);
      setSession({ body: body!, review: review!, summary: summary!, role, state, message: stopped ?? notice, publicationChanges });
    };

    const stop = (message: string) => {
      stopped = message;
      for (const r of rooms) r.provider.disconnect();
      publish();
    };

    // One ticket serves every room of a (re)connect.
    const connectAll = async () => {
      if (disposed || stopped) return;
      ticket ??= fetchTicket(articleId);
      try {
        const t = await ticket;
        role = t.role;
        for (const r of rooms) {
          r.provider.serverUrl = t.url;
          r.provider.params = { ticket: t.ticket };
          if (!r.provider.wsconnected && !r.provider.wsconnecting) r.provider.connect();
        }
        setTimeout(() => (ticket = undefined), 20_000);
      } catch (error) {
        ticket = undefined;
        if (error instanceof TicketError && error.status === 401) return stop("Your session has ended. Sign in again to keep editing.");
        if (error instanceof TicketError && (error.status === 403 || error.status === 404)) return stop("You no longer have access to this article.");
        scheduleReconnect();
      }
      publish();
    };

    const scheduleReconnect = (minDelayMs = 0) => {
      if (disposed || stopped || reconnectTimer) return;
      attempt++;
      const delay = Math.max(minDelayMs, Math.min(2 ** attempt * 250, MAX_BACKOFF_MS));
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        if (typeof navigator !== "undefined" && !navigator.onLine) return publish();
        void connectAll();
      }, delay);
      publish();
    };

    for (const r of rooms) {
      r.local.whenSynced.then(() => {
        r.localLoaded = true;
        publish();
      });
      r.provider.on("status", publish);
      r.provider.on("sync", (synced: boolean) => {
        if (synced) attempt = 0;
        // Synced is not yet accepted: the server may refuse this browser's waiting edits right after.
        if (synced && notice && !noticeTimer) {
          noticeTimer = setTimeout(() => {
            noticeTimer = undefined;
            if (rooms.every((room) => room.provider.wsconnected)) notice = undefined;
            publish();
          }, STORAGE_NOTICE_CLEAR_MS);
        }
        publish();
      });
      r.provider.on("connection-close", (event: CloseEvent | null) => {
        if (disposed || stopped) return;
        if (event && FINAL_CLOSE_CODES.has(event.code)) return stop(describeClose(event.code));
        if (event?.code === CLOSE_CODES.refused) {
          // The server refused a change: this browser's copy of the room holds something the desk
          // never accepted. Drop it and start again from the server's state, saying what happened.
          stop(`${describeClose(event.code)} ${event.reason}`);
          sessionStorage.setItem(REFUSED_KEY, event.reason || describeClose(event.code));
          void r.local.clearData().finally(() => location.reload());
          return;
        }
        // y-websocket would retry with the same (possibly expired) ticket; we fetch a new one first.
        r.provider.shouldConnect = false;
        ticket = undefined;
        if (event?.code === CLOSE_CODES.storageUnavailable) {
          // The server could not take the change; IndexedDB keeps it, and it is sent again later.
          notice = describeClose(event.code);
          if (noticeTimer) clearTimeout(noticeTimer);
          noticeTimer = undefined;
          return scheduleReconnect(STORAGE_RETRY_MS * (1 + Math.random()));
        }
        scheduleReconnect();
      });
    }

    const goOffline = () => {
      for (const r of rooms) r.provider.disconnect();
      publish();
    };
    const goOnline = () => {
      attempt = 0;
      void connectAll();
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);

    publish();
    if (navigator.onLine) void connectAll();

    return () => {
      disposed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (noticeTimer) clearTimeout(noticeTimer);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      for (const r of rooms) {
        r.provider.destroy();
        void r.local.destroy();
        r.doc.destroy();
      }
    };
  }, [articleId, userId, initialRole]);

  return session;
}
