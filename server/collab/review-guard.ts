import * as Y from "yjs";
import { changedThreads, readThread, readThreadRaw, threadsMap, validateThreadChange, type ReviewActor, type ReviewChanges, type ReviewVerdict } from "@/model/review";
import type { VerdictScale } from "@/model/verdict-scale";

/**
 * Validates updates to a `review` room before they count. The update is first applied to a shadow
 * copy of the document; the threads it touched are read before (from the room) and after (from the
 * shadow) and checked one by one. The room itself is only changed once everything passed; a refused
 * update leaves no trace, and the shadow is rebuilt from the room.
 */
export class ReviewGuard {
  private shadow: Y.Doc;

  constructor(
    private readonly doc: Y.Doc,
    private readonly scale: () => VerdictScale,
  ) {
    this.shadow = this.copy();
  }

  private copy(): Y.Doc {
    const shadow = new Y.Doc();
    threadsMap(shadow);
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc));
    return shadow;
  }

  private rebuild(): void {
    this.shadow.destroy();
    this.shadow = this.copy();
  }

  /** Checks an update from `actor`; on success the caller applies it to the room. */
  check(update: Uint8Array, actor: ReviewActor): ReviewVerdict {
    let changes: ReviewChanges = { threadIds: new Set(), outsideShape: false };
    const record = (transaction: Y.Transaction) => {
      const c = changedThreads(transaction);
      c.threadIds.forEach((id) => changes.threadIds.add(id));
      changes = { threadIds: changes.threadIds, outsideShape: changes.outsideShape || c.outsideShape };
    };
    this.shadow.on("afterTransaction", record);
    try {
      Y.applyUpdate(this.shadow, update);
    } catch {
      this.rebuild();
      return { ok: false, reason: "The update could not be read." };
    } finally {
      this.shadow.off("afterTransaction", record);
    }
    // Yjs parks an update whose dependencies it lacks and integrates it later, inside whichever update
    // supplies them, possibly another person's, which would then be validated and logged as theirs.
    // Honest clients send their updates in order over one connection, so nothing may stay pending.
    if (this.shadow.store.pendingStructs || this.shadow.store.pendingDs) {
      this.rebuild();
      return { ok: false, reason: "The update depends on changes the server does not have." };
    }
    const verdict = changes.outsideShape ? { ok: false as const, reason: "The update changes something outside the review threads." } : this.checkThreads(changes.threadIds, actor);
    if (!verdict.ok) this.rebuild();
    return verdict;
  }

  private checkThreads(threadIds: Set<string>, actor: ReviewActor): ReviewVerdict {
    const ctx = { actor, scale: this.scale(), now: new Date() };
    for (const id of threadIds) {
      const threads = threadsMap(this.shadow);
      const afterMap = threads.get(id);
      // A key holding `undefined` is still there: only a missing key is a deleted thread.
      const after = afterMap instanceof Y.Map ? readThreadRaw(afterMap) : threads.has(id) ? { "!": "not a Y.Map" } : undefined;
      const verdict = validateThreadChange(id, readThread(this.doc, id), after, ctx);
      if (!verdict.ok) return verdict;
    }
    return { ok: true };
  }

  /** Keeps the shadow level with updates the room applies without a check (the server's own). */
  sync(update: Uint8Array): void {
    Y.applyUpdate(this.shadow, update);
  }

  destroy(): void {
    this.shadow.destroy();
  }
}
