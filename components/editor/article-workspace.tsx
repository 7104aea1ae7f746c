"use client";

import { useMemo } from "react";
import { canWriteRoom } from "@/model/rooms";
import type { Role } from "@/model/roles";
import { ArticleEditor } from "./article-editor";
import { ConnectionStatus } from "./connection-status";
import { PresenceBar } from "./presence-bar";
import { useCollabSession } from "./use-collab-session";

interface Props {
  articleId: string;
  user: { id: string; name: string; color: string };
  role: Role;
  /** The server-rendered text, shown until the live document is ready (and without JavaScript). */
  children: React.ReactNode;
}

/** The live article: presence, connection state and the shared editor. */
export function ArticleWorkspace({ articleId, user, role, children }: Props) {
  const session = useCollabSession(articleId, user.id, role);
  const liveRole = session?.role ?? role;
  const editable = canWriteRoom(liveRole, "body") && session?.state !== "stopped";
  const self = useMemo(
    () => ({ id: user.id, name: user.name, color: user.color, role: liveRole, readOnly: !canWriteRoom(liveRole, "body") }),
    [user.id, user.name, user.color, liveRole],
  );
  return (
    <div className="workspace">
      <div className="workspace-bar">
        {session ? <PresenceBar awareness={session.body.provider.awareness} self={self} /> : <span />}
        <div className="row small">
          {!canWriteRoom(liveRole, "body") && <span className="badge">Read-only</span>}
          <ConnectionStatus state={session?.state ?? "connecting"} message={session?.message} />
        </div>
      </div>
      {session?.body.ready ? (
        <ArticleEditor doc={session.body.doc} provider={session.body.provider} editable={editable} user={{ name: user.name, color: user.color }} />
      ) : (
        children
      )}
    </div>
  );
}
