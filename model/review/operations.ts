import * as Y from "yjs";
import { claimFingerprint } from "./approval";
import { readThread, threadsMap } from "./layout";
import type { Anchor, Approval, Claim, ClaimState, Evidence, Stance, ThreadKind } from "./schema";

/**
 * The only writers of the `review` document. The UI calls these; each change is one Yjs transaction
 * that the server can validate as a whole. `by` is always the signed-in user: the server refuses
 * anything else.
 */

const now = () => new Date().toISOString();

/** A fresh entity id. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

function thread(doc: Y.Doc, threadId: string): Y.Map<unknown> {
  const map = threadsMap(doc).get(threadId);
  if (!(map instanceof Y.Map)) throw new Error(`no thread ${threadId}`);
  return map;
}

function nested(doc: Y.Doc, threadId: string, key: "messages" | "claim" | "evidence"): Y.Map<unknown> {
  const map = thread(doc, threadId).get(key);
  if (!(map instanceof Y.Map)) throw new Error(`thread ${threadId} has no ${key}`);
  return map;
}

export type ClaimFields = Pick<Claim, "claimant" | "appearedIn" | "appearedOn" | "assigneeId" | "state" | "verdict" | "rationale">;

/** Starts a comment thread or flags a claim at an anchor, optionally with a first message. */
export function createThread(
  doc: Y.Doc,
  params: { kind: ThreadKind; anchor: Anchor; by: string; message?: { body: string; mentions: string[] }; claim?: Partial<ClaimFields> },
): string {
  const id = newId();
  doc.transact(() => {
    const at = now();
    const map = new Y.Map<unknown>();
    threadsMap(doc).set(id, map);
    map.set("id", id);
    map.set("kind", params.kind);
    map.set("createdBy", params.by);
    map.set("createdAt", at);
    map.set("anchor", params.anchor);
    map.set("resolved", false);
    map.set("resolvedBy", null);
    map.set("resolvedAt", null);
    const messages = new Y.Map<unknown>();
    map.set("messages", messages);
    if (params.message) {
      const messageId = newId();
      messages.set(messageId, { id: messageId, authorId: params.by, body: params.message.body, mentions: params.message.mentions, createdAt: at, editedAt: null });
    }
    if (params.kind === "claim") {
      const claim = new Y.Map<unknown>();
      map.set("claim", claim);
      const fields: Claim = {
        claimant: "",
        appearedIn: "",
        appearedOn: "",
        assigneeId: null,
        state: "open",
        verdict: null,
        rationale: "",
        ...params.claim,
        verdictBy: params.claim?.verdict ? params.by : null,
        verdictAt: params.claim?.verdict ? at : null,
        updatedBy: params.by,
        updatedAt: at,
      };
      for (const [key, value] of Object.entries(fields)) claim.set(key, value);
      map.set("evidence", new Y.Map<unknown>());
    }
  });
  return id;
}

/** Adds a message to a thread. */
export function addMessage(doc: Y.Doc, threadId: string, params: { by: string; body: string; mentions: string[] }): string {
  const id = newId();
  nested(doc, threadId, "messages").set(id, { id, authorId: params.by, body: params.body, mentions: params.mentions, createdAt: now(), editedAt: null });
  return id;
}

/** Edits one's own message. */
export function editMessage(doc: Y.Doc, threadId: string, messageId: string, params: { body: string; mentions: string[] }): void {
  const messages = nested(doc, threadId, "messages");
  const current = messages.get(messageId) as Record<string, unknown> | undefined;
  if (!current) throw new Error(`no message ${messageId}`);
  messages.set(messageId, { ...current, body: params.body, mentions: params.mentions, editedAt: now() });
}

/** Deletes one's own message. */
export function deleteMessage(doc: Y.Doc, threadId: string, messageId: string): void {
  nested(doc, threadId, "messages").delete(messageId);
}

/** Resolves or reopens a thread. */
export function setResolved(doc: Y.Doc, threadId: string, params: { by: string; resolved: boolean }): void {
  const map = thread(doc, threadId);
  doc.transact(() => {
    map.set("resolved", params.resolved);
    map.set("resolvedBy", params.resolved ? params.by : null);
    map.set("resolvedAt", params.resolved ? now() : null);
  });
}

/** Moves an (orphaned) thread to newly selected text. */
export function reanchor(doc: Y.Doc, threadId: string, anchor: Anchor): void {
  thread(doc, threadId).set("anchor", anchor);
}

/** Deletes a whole thread. */
export function deleteThread(doc: Y.Doc, threadId: string): void {
  threadsMap(doc).delete(threadId);
}

/** The fields an approval covers (see claimFingerprint); changing one sends an approved claim back to review. */
const APPROVED_FIELDS: readonly (keyof ClaimFields)[] = ["verdict", "rationale"];

/** An approved claim whose verdict, rationale or evidence changes is back in review (its approval stays, void). */
function backToReview(claim: Y.Map<unknown>): void {
  if (claim.get("state") === "approved") claim.set("state", "in_review");
}

/** Changes claim fields; a changed verdict records who set it and when. */
export function updateClaim(doc: Y.Doc, threadId: string, params: { by: string; patch: Partial<ClaimFields> }): void {
  const claim = nested(doc, threadId, "claim");
  doc.transact(() => {
    const at = now();
    const verdictChanged = "verdict" in params.patch && claim.get("verdict") !== params.patch.verdict;
    const approvedChanged = APPROVED_FIELDS.some((key) => key in params.patch && claim.get(key) !== params.patch[key]);
    if (approvedChanged && !("state" in params.patch)) backToReview(claim);
    for (const [key, value] of Object.entries(params.patch)) if (claim.get(key) !== value) claim.set(key, value);
    if (verdictChanged) {
      claim.set("verdictBy", params.patch.verdict ? params.by : null);
      claim.set("verdictAt", params.patch.verdict ? at : null);
    }
    claim.set("updatedBy", params.by);
    claim.set("updatedAt", at);
  });
}

/**
 * Approves a claim as it stands now: records who, when, the verdict and a fingerprint of what was
 * approved, and marks the claim approved. The server accepts this from editors and owners only, and
 * from the verdict's author only when the desk allows it.
 */
export function approveClaim(doc: Y.Doc, threadId: string, params: { by: string }): void {
  const current = readThread(doc, threadId);
  if (!current?.claim) throw new Error(`no claim ${threadId}`);
  const claim = nested(doc, threadId, "claim");
  doc.transact(() => {
    const at = now();
    const approval: Approval = { by: params.by, at, covers: claimFingerprint(current), verdict: current.claim!.verdict };
    claim.set("approval", approval);
    claim.set("state", "approved");
    claim.set("updatedBy", params.by);
    claim.set("updatedAt", at);
  });
}

/** Sends a claim back to the checkers: the approval is withdrawn, the claim is "researching" again, and the comment says why. */
export function sendBackClaim(doc: Y.Doc, threadId: string, params: { by: string; comment: string }): void {
  const claim = nested(doc, threadId, "claim");
  doc.transact(() => {
    const at = now();
    claim.set("approval", null);
    claim.set("state", "researching");
    claim.set("updatedBy", params.by);
    claim.set("updatedAt", at);
    if (params.comment.trim()) addMessage(doc, threadId, { by: params.by, body: params.comment.trim(), mentions: [] });
  });
}

/** Sets a claim's workflow state. */
export function setClaimState(doc: Y.Doc, threadId: string, params: { by: string; state: ClaimState }): void {
  updateClaim(doc, threadId, { by: params.by, patch: { state: params.state } });
}

export type EvidenceInput = { url: string; title: string; publisher: string; stance: Stance; note: string };

/** Adds a piece of evidence to a claim. */
export function addEvidence(doc: Y.Doc, threadId: string, params: { by: string; evidence: EvidenceInput }): string {
  const id = newId();
  const item: Evidence = { id, ...params.evidence, addedBy: params.by, addedAt: now() };
  doc.transact(() => {
    nested(doc, threadId, "evidence").set(id, item);
    backToReview(nested(doc, threadId, "claim"));
  });
  return id;
}

/** Changes a piece of evidence (who added it, and when, stay). */
export function updateEvidence(doc: Y.Doc, threadId: string, evidenceId: string, patch: Partial<EvidenceInput>): void {
  const evidence = nested(doc, threadId, "evidence");
  const current = evidence.get(evidenceId) as Evidence | undefined;
  if (!current) throw new Error(`no evidence ${evidenceId}`);
  doc.transact(() => {
    evidence.set(evidenceId, { ...current, ...patch });
    backToReview(nested(doc, threadId, "claim"));
  });
}

/** Removes a piece of evidence. */
export function removeEvidence(doc: Y.Doc, threadId: string, evidenceId: string): void {
  doc.transact(() => {
    nested(doc, threadId, "evidence").delete(evidenceId);
    backToReview(nested(doc, threadId, "claim"));
  });
}
