"use client";

import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { Extensions } from "@tiptap/core";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useEffect } from "react";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import { bodyFragment } from "@/model/article-doc";
import { articleExtensions } from "@/model/editor-extensions";

interface Props {
  doc: Y.Doc;
  provider: WebsocketProvider;
  editable: boolean;
  user: { name: string; color: string };
  /** Extensions beyond the article schema and collaboration, such as the annotation highlights. */
  extensions?: Extensions;
  /** Receives the editor once created (and null when it goes). */
  onEditor?: (editor: Editor | null) => void;
  /** Rendered with the editor, e.g. the selection menu. */
  children?: (editor: Editor) => React.ReactNode;
  /** The editable area's accessible name, test id and class; the article text by default. */
  label?: string;
  testId?: string;
  className?: string;
  /** The formatting toolbar's accessible name. */
  toolbarLabel?: string;
}

/** The shared article text: everyone sees everyone's edits and carets; only editors and owners can type. */
export function ArticleEditor({
  doc,
  provider,
  editable,
  user,
  extensions = [],
  onEditor,
  children,
  label = "Article text",
  testId = "article-editor",
  className = "article-body",
  toolbarLabel = "Formatting",
}: Props) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...articleExtensions,
        Collaboration.configure({ fragment: bodyFragment(doc) }),
        CollaborationCaret.configure({ provider, user }),
        ...extensions,
      ],
      editorProps: {
        attributes: { class: className, "aria-label": label, "data-testid": testId },
      },
    },
    [doc, provider],
  );

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);

  return (
    <div className="editor">
      {editable && editor && <Toolbar editor={editor} label={toolbarLabel} />}
      <EditorContent editor={editor} />
      {editor && children?.(editor)}
    </div>
  );
}

const MARKS = [
  { name: "bold", label: "Bold", short: "B", toggle: (e: Editor) => e.chain().focus().toggleBold().run() },
  { name: "italic", label: "Italic", short: "I", toggle: (e: Editor) => e.chain().focus().toggleItalic().run() },
] as const;

function Toolbar({ editor, label }: { editor: Editor; label: string }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
    }),
  });
  const blocks = [
    { key: "h2", label: "Heading", short: "H2", run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: "h3", label: "Subheading", short: "H3", run: () => editor.chain().focus().toggleHeading({ level: 3 }).run() },
    { key: "bulletList", label: "Bulleted list", short: "•", run: () => editor.chain().focus().toggleBulletList().run() },
    { key: "orderedList", label: "Numbered list", short: "1.", run: () => editor.chain().focus().toggleOrderedList().run() },
    { key: "blockquote", label: "Quote", short: "“”", run: () => editor.chain().focus().toggleBlockquote().run() },
  ] as const;
  return (
    <div className="toolbar" role="toolbar" aria-label={label}>
      {MARKS.map((m) => (
        <button key={m.name} type="button" aria-label={m.label} aria-pressed={active[m.name]} onClick={() => m.toggle(editor)}>
          {m.short}
        </button>
      ))}
      <span className="toolbar-sep" aria-hidden="true" />
      {blocks.map((b) => (
        <button key={b.key} type="button" aria-label={b.label} aria-pressed={active[b.key]} onClick={b.run}>
          {b.short}
        </button>
      ))}
    </div>
  );
}
