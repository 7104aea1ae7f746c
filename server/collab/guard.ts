import * as Y from "yjs";
import type { ReviewActor } from "@/model/review";

/** An approval given or withdrawn by an accepted update, for the audit log and the history. */
export interface ApprovalEvent {
  action: "claim.approve" | "claim.send_back" | "summary.approve" | "summary.send_back";
  /** The claim's thread; absent for the summary. */
  threadId?: string;
  /** The claim's quoted text, so the audit log can say which claim; absent for the summary. */
  quote?: string;
  /** The verdict (rating) approved, or the one the claim held when sent back. */
  verdict: string | null;
}

/** A guard's answer: refused with a reason safe to show, or accepted with the approvals it gives or withdraws. */
export type GuardVerdict = { ok: true; approvals: ApprovalEvent[] } | { ok: false; reason: string };

/** Checks every peer's update to a room before it is applied. */
export interface RoomGuard {
  /** Checks an update from `actor`; on success the caller applies it to the room. */
  check(update: Uint8Array, actor: ReviewActor): GuardVerdict;
  /** Keeps the guard level with updates the room applies without a check (the server's own). */
  sync(update: Uint8Array): void;
  destroy(): void;
}

/**
 * The common part of the guards: an update is first applied to a shadow copy of the room's
 * document, recording what its transactions touched; the subclass then compares the room (before)
 * with the shadow (after). The room itself is only changed once everything passed; a refused update
 * leaves no trace, and the shadow is rebuilt from the room.
 */
export abstract class ShadowGuard<Changes> implements RoomGuard {
  protected shadow: Y.Doc;

  constructor(protected readonly doc: Y.Doc) {
    this.shadow = this.copy();
  }

  /** Defines the document's root types on a fresh shadow, so they are read with the right Yjs type. */
  protected abstract prepare(shadow: Y.Doc): void;
  /** Nothing touched yet. */
  protected abstract noChanges(): Changes;
  /** Adds what one transaction on the shadow touched. */
  protected abstract record(changes: Changes, transaction: Y.Transaction): void;
  /** Decides on the touched parts, the room's document holding the state before and the shadow the state after. */
  protected abstract validate(changes: Changes, actor: ReviewActor): GuardVerdict;

  private copy(): Y.Doc {
    const shadow = new Y.Doc();
    this.prepare(shadow);
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.doc));
    return shadow;
  }

  private rebuild(): void {
    this.shadow.destroy();
    this.shadow = this.copy();
  }

  check(update: Uint8Array, actor: ReviewActor): GuardVerdict {
    const changes = this.noChanges();
    const record = (transaction: Y.Transaction) => this.record(changes, transaction);
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
    const verdict = this.validate(changes, actor);
    if (!verdict.ok) this.rebuild();
    return verdict;
  }

  sync(update: Uint8Array): void {
    Y.applyUpdate(this.shadow, update);
  }

  destroy(): void {
    this.shadow.destroy();
  }
}
