"use client";

import type { Editor } from "@tiptap/core";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { can } from "@/model/permissions";
import { createThread, type Thread } from "@/model/review";
import type { Role } from "@/model/roles";
import { canWriteRoom } from "@/model/rooms";
import { findVerdict, type VerdictScale } from "@/model/verdict-scale";
import { anchorFromSelection, createHighlights, highlightsKey, scrollToRange, setHighlights, type ThreadRange } from "../annotations/highlights";
import { NewCommentForm } from "../annotations/new-comment-form";
import { ReviewEnvProvider, type DeskMember, type ReviewEnv } from "../annotations/review-context";
import { ReviewPanel } from "../annotations/review-panel";
import { SelectionMenu } from "../annotations/selection-menu";
import { useReviewThreads } from "../annotations/use-review-threads";
import { SaveVersionButton } from "../history/save-version-button";
import { PublishControls } from "../publishing/publish-controls";
import { SummaryPanel } from "../summary/summary-panel";
import { ArticleEditor } from "./article-editor";
import { ConnectionStatus } from "./connection-status";
import { PresenceBar } from "./presence-bar";
import { REFUSED_KEY, useCollabSession, type RoomSession } from "./use-collab-session";

interface Props {
  articleId: string;
  user: { id: string; name: string; color: string };
  role: Role;
  /** True for a guest of this one article: they get nothing of the desk around it (history, publishing). */
  guest: boolean;
  members: DeskMember[];
  scale: VerdictScale;
  /** The desk's rule: whether the author of a verdict may approve it. */
  allowSelfApproval: boolean;
  /** Where the article's published page lives (whether or not it is published now). */
  publicPath: string;
  /** The server-rendered text, shown until the live document is ready (and without JavaScript). */
  children: React.ReactNode;
}

/** The live article: presence, connection state, the shared editor and the desk's review beside it. */
export function ArticleWorkspace({ articleId, user, role, guest, members, scale, allowSelfApproval, publicPath, children }: Props) {
  const session = useCollabSession(articleId, user.id, role);
  const liveRole = session?.role ?? role;
  const grant = { role: liveRole, guest };
  // History and publishing belong to the desk: only its members (who can view the desk) see them.
  const deskMember = can(grant, "team:view");
  const editable = canWriteRoom(liveRole, "body") && session?.state !== "stopped";
  const self = useMemo(
    () => ({ id: user.id, name: user.name, color: user.color, role: liveRole, readOnly: !canWriteRoom(liveRole, "body"), guest }),
    [user.id, user.name, user.color, liveRole, guest],
  );
  const { team } = useParams<{ team: string }>();
  const historyHref = `/desks/${team}/articles/${articleId}/history`;
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => {
    const reason = sessionStorage.getItem(REFUSED_KEY);
    if (!reason) return;
    sessionStorage.removeItem(REFUSED_KEY);
    // Read once after the reload that follows a refused change.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRefused(reason);
  }, []);
  return (
    <div className="workspace">
      {refused && (
        <p className="alert" role="alert">
          The server refused a change, so it was undone: {refused}{" "}
          <button type="button" className="linkish" onClick={() => setRefused(null)}>
            Dismiss
          </button>
        </p>
      )}
      <div className="workspace-bar">
        {session ? <PresenceBar awareness={session.body.provider.awareness} self={self} /> : <span />}
        <div className="row small">
          {!canWriteRoom(liveRole, "body") && <span className="badge">Read-only text</span>}
          <ConnectionStatus state={session?.state ?? "connecting"} message={session?.message} />
          {deskMember && (
            <span className="history-actions">
              <Link href={historyHref}>History</Link>
              {can(grant, "revision:create") && <SaveVersionButton articleId={articleId} historyHref={historyHref} />}
            </span>
          )}
        </div>
      </div>
      {deskMember && session?.review.ready && (
        <div className="publish-bar">
          <PublishControls
            articleId={articleId}
            publicPath={publicPath}
            role={liveRole}
            review={session.review.doc}
            summary={session.summary.doc}
            scale={scale}
            changes={session.publicationChanges}
          />
        </div>
      )}
      {session?.body.ready ? (
        <LiveArticle
          body={session.body}
          review={session.review}
          summary={session.summary}
          user={user}
          role={liveRole}
          editable={editable}
          live={session.state !== "stopped"}
          members={members}
          scale={scale}
          allowSelfApproval={allowSelfApproval}
          guest={guest}
        />
      ) : (
        children
      )}
    </div>
  );
}

function LiveArticle({
  body,
  review,
  summary,
  user,
  role,
  editable,
  live,
  members,
  scale,
  allowSelfApproval,
  guest,
}: {
  body: RoomSession;
  review: RoomSession;
  summary: RoomSession;
  user: Props["user"];
  role: Role;
  editable: boolean;
  live: boolean;
  members: DeskMember[];
  scale: VerdictScale;
  allowSelfApproval: boolean;
  guest: boolean;
}) {
  const threads = useReviewThreads(review.doc);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [ranges, setRanges] = useState<Map<string, ThreadRange>>(new Map());
  const [hasSelection, setHasSelection] = useState(false);
  const [draft, setDraft] = useState<ReturnType<typeof anchorFromSelection>>(undefined);
  const highlights = useMemo(() => createHighlights((id) => setActiveId(id)), []);
  const canComment = can(role, "comment:write");
  const canFlag = can(role, "claim:write");

  const colourOf = useCallback((t: Thread) => findVerdict(scale, t.claim?.verdict)?.colour ?? null, [scale]);

  useEffect(() => {
    if (editor) setHighlights(editor, { threads, activeId, colourOf });
  }, [editor, threads, activeId, colourOf]);

  useEffect(() => {
    // A local edit reaches Yjs only after ProseMirror has applied it, so anchors resolved during that
    // transaction see the old text. Resolve them again once the body document has changed (once a frame).
    if (!editor) return;
    let frame = 0;
    const refresh = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        setHighlights(editor, {});
      });
    };
    body.doc.on("update", refresh);
    return () => {
      body.doc.off("update", refresh);
      cancelAnimationFrame(frame);
    };
  }, [editor, body.doc]);

  useEffect(() => {
    if (!editor) return;
    const sync = () => {
      const state = highlightsKey.getState(editor.state);
      if (state) setRanges((old) => (sameRanges(old, state.ranges) ? old : new Map(state.ranges)));
      setHasSelection(!editor.state.selection.empty);
    };
    sync();
    editor.on("transaction", sync);
    return () => {
      editor.off("transaction", sync);
    };
  }, [editor]);

  const select = useCallback(
    (id: string) => {
      setActiveId(id);
      const range = ranges.get(id);
      if (editor && range) scrollToRange(editor, range);
    },
    [editor, ranges],
  );

  const startComment = useCallback(() => {
    if (editor && canComment) setDraft(anchorFromSelection(editor));
  }, [editor, canComment]);

  const flagClaim = useCallback(() => {
    const anchor = editor && canFlag ? anchorFromSelection(editor) : undefined;
    if (!anchor) return;
    setActiveId(createThread(review.doc, { kind: "claim", anchor, by: user.id }));
  }, [editor, canFlag, review.doc, user.id]);

  useEffect(() => {
    // Ctrl/Cmd+Alt+M comments on the selection (as in other editors); Ctrl/Cmd+Alt+C flags a claim.
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.altKey || !editor?.view.hasFocus()) return;
      if (event.code === "KeyM") {
        event.preventDefault();
        startComment();
      } else if (event.code === "KeyC") {
        event.preventDefault();
        flagClaim();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editor, startComment, flagClaim]);

  const env: ReviewEnv = useMemo(
    () => ({
      doc: review.doc,
      me: { id: user.id, name: user.name },
      role,
      guest,
      members,
      scale,
      allowSelfApproval,
      hasSelection,
      anchorFromSelection: () => (editor ? anchorFromSelection(editor) : undefined),
    }),
    [review.doc, user.id, user.name, role, guest, members, scale, allowSelfApproval, hasSelection, editor],
  );

  return (
    <ReviewEnvProvider value={env}>
      <div className="article-layout">
        <div className="article-column">
          <ArticleEditor doc={body.doc} provider={body.provider} editable={editable} user={{ name: user.name, color: user.color }} extensions={[highlights]} onEditor={setEditor}>
            {(e) => <SelectionMenu editor={e} canComment={canComment} canFlag={canFlag} onComment={startComment} onFlag={flagClaim} />}
          </ArticleEditor>
          <SummaryPanel room={summary} user={user} role={role} live={live} members={members} scale={scale} allowSelfApproval={allowSelfApproval} />
        </div>
        <div className="review-column">
          {draft && (
            <NewCommentForm
              anchor={draft}
              onDone={(id) => {
                setDraft(undefined);
                if (id) setActiveId(id);
              }}
            />
          )}
          <ReviewPanel threads={threads} ranges={ranges} activeId={activeId} onSelect={select} />
        </div>
      </div>
    </ReviewEnvProvider>
  );
}

function sameRanges(a: Map<string, ThreadRange>, b: Map<string, ThreadRange>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of b) {
    const o = a.get(id);
    if (o === undefined || (o === null) !== (r === null) || (o && r && (o.from !== r.from || o.to !== r.to))) return false;
  }
  return true;
}
