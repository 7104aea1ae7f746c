"use client";

import type { Editor } from "@tiptap/core";
import { BubbleMenu } from "@tiptap/react/menus";

/**
 * Appears over a text selection with "Comment" and "Flag claim", for anyone who may do either, also
 * in a read-only editor: anchoring a thread never changes the text.
 */
export function SelectionMenu({ editor, canComment, canFlag, onComment, onFlag }: { editor: Editor; canComment: boolean; canFlag: boolean; onComment: () => void; onFlag: () => void }) {
  if (!canComment && !canFlag) return null;
  return (
    <BubbleMenu
      editor={editor}
      shouldShow={({ state }) => !state.selection.empty && state.doc.textBetween(state.selection.from, state.selection.to).trim().length > 0}
      options={{ placement: "top" }}
      // Above the sticky formatting toolbar, which a selection near the top of the text puts it over.
      className="selection-menu-layer"
    >
      <div className="selection-menu" role="toolbar" aria-label="Annotate selection">
        {canComment && (
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={onComment} title="Comment (Ctrl+Alt+M)">
            💬 Comment
          </button>
        )}
        {canFlag && (
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={onFlag} title="Flag claim (Ctrl+Alt+C)">
            ⚑ Flag claim
          </button>
        )}
      </div>
    </BubbleMenu>
  );
}
