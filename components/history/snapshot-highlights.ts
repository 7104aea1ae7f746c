import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Anchor } from "@/model/review";
import { findQuote, flattenDoc } from "./quote-ranges";

/** What a highlight needs to know about a thread of a stored revision. */
export interface SnapshotThread {
  id: string;
  kind: "claim" | "comment";
  resolved: boolean;
  /** The verdict's colour, for claims that have one. */
  colour: string | null;
  quote: Anchor["quote"];
}

interface State {
  ranges: Map<string, { from: number; to: number } | null>;
  activeId: string | null;
  decorations: DecorationSet;
}

export const snapshotHighlightsKey = new PluginKey<State>("factdesk-snapshot-highlights");

/**
 * Highlights for a read-only revision. A stored revision has no live anchors to follow, so each
 * thread is placed by its quote (and the prefix and suffix around it); the same classes as the live
 * highlights colour them. Clicking one selects its thread.
 */
export function createSnapshotHighlights(threads: SnapshotThread[], onSelect: (threadId: string) => void) {
  const decorate = (doc: Parameters<typeof DecorationSet.create>[0], ranges: State["ranges"], activeId: string | null) =>
    DecorationSet.create(
      doc,
      threads.flatMap((t) => {
        const range = ranges.get(t.id);
        if (!range || t.resolved) return [];
        const classes = ["hl", `hl-${t.kind}`, t.colour ? "hl-verdict" : "", t.id === activeId ? "hl-active" : ""].filter(Boolean).join(" ");
        return [Decoration.inline(range.from, range.to, { class: classes, "data-thread-id": t.id, style: t.colour ? `--hl: ${t.colour}` : "" })];
      }),
    );
  return Extension.create({
    name: "factdeskSnapshotHighlights",
    addProseMirrorPlugins() {
      return [
        new Plugin<State>({
          key: snapshotHighlightsKey,
          state: {
            init(_, state) {
              const flat = flattenDoc(state.doc);
              const ranges = new Map(threads.map((t) => [t.id, findQuote(flat, t.quote)]));
              return { ranges, activeId: null, decorations: decorate(state.doc, ranges, null) };
            },
            apply(tr, value, _old, state) {
              const meta = tr.getMeta(snapshotHighlightsKey) as { activeId: string | null } | undefined;
              if (!meta || meta.activeId === value.activeId) return value;
              return { ...value, activeId: meta.activeId, decorations: decorate(state.doc, value.ranges, meta.activeId) };
            },
          },
          props: {
            decorations: (state) => snapshotHighlightsKey.getState(state)?.decorations,
            handleClick(_view, _pos, event) {
              const id = (event.target as HTMLElement | null)?.closest("[data-thread-id]")?.getAttribute("data-thread-id");
              if (id) onSelect(id);
              return false;
            },
          },
        }),
      ];
    },
  });
}

/** Marks one thread's highlight as the active one. */
export function setSnapshotActive(editor: Editor, activeId: string | null): void {
  if (editor.isDestroyed) return;
  editor.view.dispatch(editor.state.tr.setMeta(snapshotHighlightsKey, { activeId }));
}
