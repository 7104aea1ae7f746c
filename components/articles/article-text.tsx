import { renderToReactElement } from "@tiptap/static-renderer/pm/react";
import { articleExtensions, type ProseMirrorJson } from "@/model/editor-extensions";

/**
 * The article text rendered on the server through the same Tiptap schema the editor uses, so it
 * reads without JavaScript and can never show a node the editor would not.
 */
export function ArticleText({ content }: { content: ProseMirrorJson }) {
  return (
    <div className="article-body" data-testid="article-text">
      {renderToReactElement({ content, extensions: articleExtensions })}
    </div>
  );
}
