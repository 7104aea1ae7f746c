"use client";

import { createThread, type Anchor } from "@/model/review";
import { MessageComposer } from "./message-composer";
import { useReviewEnv } from "./review-context";

/** The first message of a new comment thread on the selected passage. */
export function NewCommentForm({ anchor, onDone }: { anchor: Anchor; onDone: (threadId: string | null) => void }) {
  const env = useReviewEnv();
  return (
    <section className="thread-card new-comment" aria-label="New comment">
      <q className="thread-quote-text">{anchor.quote.exact}</q>
      <MessageComposer
        members={env.members}
        placeholder="Write a comment…"
        submitLabel="Comment"
        autoFocus
        onSubmit={(body, mentions) => onDone(createThread(env.doc, { kind: "comment", anchor, by: env.me.id, message: { body, mentions } }))}
        onCancel={() => onDone(null)}
      />
    </section>
  );
}
