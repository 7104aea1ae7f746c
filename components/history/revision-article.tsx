"use client";

import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useMemo } from "react";
import { articleExtensions } from "@/model/editor-extensions";
import { createSnapshotHighlights, setSnapshotActive, snapshotHighlightsKey, type SnapshotThread } from "./snapshot-highlights";

/**
 * A revision's text, read-only, rendered from its ProseMirror JSON through the article's own schema
 * (so text is always text, never HTML), with the threads highlighted where their quotes are.
 * Reports which threads it could place (`onPlaced`), so the rest can be listed as not in this version.
 */
export function RevisionArticle({
  body,
  threads,
  activeId,
  onSelect,
  onPlaced,
}: {
  body: unknown;
  threads: SnapshotThread[];
  activeId: string | null;
  onSelect: (threadId: string) => void;
  onPlaced: (placed: Set<string>) => void;
}) {
  // Pass stable callbacks (state setters): the highlight plugin, and so the editor, is rebuilt when they change.
  const highlights = useMemo(() => createSnapshotHighlights(threads, onSelect), [threads, onSelect]);
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: false,
      content: body as JSONContent,
      extensions: [...articleExtensions, highlights],
      editorProps: { attributes: { class: "article-body", "aria-label": "Article text of this version", "aria-readonly": "true", "data-testid": "revision-text" } },
    },
    [body, highlights],
  );

  useEffect(() => {
    if (!editor) return;
    const ranges = snapshotHighlightsKey.getState(editor.state)?.ranges;
    onPlaced(new Set([...(ranges ?? new Map()).entries()].filter(([, r]) => r).map(([id]) => id)));
  }, [editor, onPlaced]);

  useEffect(() => {
    if (editor) setSnapshotActive(editor, activeId);
  }, [editor, activeId]);

  return (
    <div className="editor revision-article">
      <EditorContent editor={editor} />
    </div>
  );
}
