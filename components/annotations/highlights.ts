import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { anchorDeleted, decodePosition, encodePosition, type Anchor, type Thread } from "@/model/review";

/** Where a thread sits in the editor now; null when its text has been deleted (an orphan). */
export type ThreadRange = { from: number; to: number } | null;

export interface HighlightState {
  threads: Thread[];
  activeId: string | null;
  colourOf: (thread: Thread) => string | null;
  ranges: Map<string, ThreadRange>;
  decorations: DecorationSet;
}

export const highlightsKey = new PluginKey<HighlightState>("factdesk-highlights");

type Meta = Partial<Pick<HighlightState, "threads" | "activeId" | "colourOf">>;

// The y-tiptap binding maps between ProseMirror positions and Yjs items; anchors go through it.
function binding(state: EditorState): { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> } | undefined {
  const sync = ySyncPluginKey.getState(state) as { doc: Y.Doc; type: Y.XmlFragment; binding?: { mapping: Map<unknown, unknown> } } | undefined;
  return sync?.binding ? { doc: sync.doc, type: sync.type, mapping: sync.binding.mapping } : undefined;
}

function resolve(state: EditorState, thread: Thread): ThreadRange {
  const b = binding(state);
  const start = decodePosition(thread.anchor.start);
  const end = decodePosition(thread.anchor.end);
  if (!b || !start || !end || anchorDeleted(b.doc, thread.anchor)) return null;
  const from = relativePositionToAbsolutePosition(b.doc, b.type, start, b.mapping as never);
  const to = relativePositionToAbsolutePosition(b.doc, b.type, end, b.mapping as never);
  return from === null || to === null || to <= from ? null : { from, to };
}

function build(state: EditorState, value: Omit<HighlightState, "ranges" | "decorations">): HighlightState {
  const ranges = new Map<string, ThreadRange>();
  const decorations: Decoration[] = [];
  for (const thread of value.threads) {
    const range = resolve(state, thread);
    ranges.set(thread.id, range);
    if (!range || thread.resolved) continue;
    const colour = value.colourOf(thread);
    const classes = ["hl", `hl-${thread.kind}`, colour ? "hl-verdict" : "", thread.id === value.activeId ? "hl-active" : ""].filter(Boolean).join(" ");
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: classes,
        "data-thread-id": thread.id,
        style: colour ? `--hl: ${colour}` : "",
      }),
    );
  }
  return { ...value, ranges, decorations: DecorationSet.create(state.doc, decorations) };
}

/**
 * Highlights are decorations computed from each thread's anchor, never marks in the text, so anyone
 * who may comment can anchor a thread without write access to the article. Clicking one selects its
 * thread.
 */
export function createHighlights(onSelect: (threadId: string) => void) {
  return Extension.create({
    name: "factdeskHighlights",
    addProseMirrorPlugins() {
      return [
        new Plugin<HighlightState>({
          key: highlightsKey,
          state: {
            init: (_, state) => build(state, { threads: [], activeId: null, colourOf: () => null }),
            apply(tr, value, _old, state) {
              const meta = tr.getMeta(highlightsKey) as Meta | undefined;
              if (!meta && !tr.docChanged) return value;
              return build(state, { threads: meta?.threads ?? value.threads, activeId: meta && "activeId" in meta ? (meta.activeId ?? null) : value.activeId, colourOf: meta?.colourOf ?? value.colourOf });
            },
          },
          props: {
            decorations: (state) => highlightsKey.getState(state)?.decorations,
            handleClick(view, pos, event) {
              const target = (event.target as HTMLElement | null)?.closest("[data-thread-id]");
              const id = target?.getAttribute("data-thread-id");
              if (!id) return false;
              onSelect(id);
              return false;
            },
          },
        }),
      ];
    },
  });
}

/** Hands the current threads (and which is active) to the highlight plugin. */
export function setHighlights(editor: Editor, meta: Meta): void {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(highlightsKey, meta).setMeta("addToHistory", false));
}

/** The anchor for the editor's current selection, or undefined when nothing is selected. */
export function anchorFromSelection(editor: Editor): Anchor | undefined {
  const { from, to, empty } = editor.state.selection;
  const b = binding(editor.state);
  if (empty || !b) return undefined;
  const exact = editor.state.doc.textBetween(from, to, "\n").trim();
  if (!exact) return undefined;
  const doc = editor.state.doc;
  const prefix = doc.textBetween(Math.max(0, from - 64), from, "\n").slice(-32);
  const suffix = doc.textBetween(to, Math.min(doc.content.size, to + 64), "\n").slice(0, 32);
  // y-tiptap binds a position to the character before it (assoc -1). That suits the end (the
  // passage's last character); the start must stick to the passage's first character instead, so
  // that text typed just before the passage stays outside it and a deleted passage is recognised.
  const startBefore = absolutePositionToRelativePosition(from, b.type, b.mapping as never);
  const at = Y.createAbsolutePositionFromRelativePosition(startBefore, b.doc);
  const start = at ? Y.createRelativePositionFromTypeIndex(at.type, at.index, 0) : startBefore;
  return {
    start: encodePosition(start),
    end: encodePosition(absolutePositionToRelativePosition(to, b.type, b.mapping as never)),
    quote: { exact: exact.slice(0, 2000), prefix, suffix },
  };
}

/** Scrolls the editor to a thread's passage. */
export function scrollToRange(editor: Editor, range: { from: number }): void {
  const { node } = editor.view.domAtPos(range.from);
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as HTMLElement);
  element?.scrollIntoView({ behavior: "smooth", block: "center" });
}

