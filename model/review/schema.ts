import { z } from "zod";
import { httpUrl } from "../schemas/common";

/** Bumped when the layout of the `review` document changes; stored in the document's `meta` map. */
export const REVIEW_SCHEMA_VERSION = 1;

export const THREAD_KINDS = ["comment", "claim"] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

/** The workflow of a claim. `approved` is reached only through the approval gate (approval.ts). */
export const CLAIM_STATES = ["open", "researching", "in_review", "approved"] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];
export const CLAIM_STATE_LABELS: Record<ClaimState, string> = {
  open: "Open",
  researching: "Researching",
  in_review: "In review",
  approved: "Approved",
};
/** The states a checker may set by hand. */
export const SETTABLE_CLAIM_STATES: readonly ClaimState[] = ["open", "researching", "in_review"];

export const STANCES = ["supports", "refutes", "context"] as const;
export type Stance = (typeof STANCES)[number];
export const STANCE_LABELS: Record<Stance, string> = { supports: "Supports", refutes: "Refutes", context: "Adds context" };

/** Length limits for everything the desk writes into the review document. */
export const REVIEW_LIMITS = {
  quoteChars: 2_000,
  quoteContextChars: 32,
  messageChars: 5_000,
  claimantChars: 200,
  appearedInChars: 300,
  rationaleChars: 10_000,
  evidenceTitleChars: 300,
  publisherChars: 200,
  noteChars: 2_000,
  mentionsPerMessage: 50,
  encodedPositionChars: 2_000,
} as const;

const L = REVIEW_LIMITS;
const entityId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "an id of 8–64 URL-safe characters");
const userId = z.uuid();
const timestamp = z.iso.datetime({ offset: true });
const encodedPosition = z.string().min(1).max(L.encodedPositionChars).regex(/^[A-Za-z0-9+/=]+$/, "base64");

/** Where a thread sits: two relative positions into the body, and the quoted text as a fallback. */
export const anchorSchema = z
  .object({
    start: encodedPosition,
    end: encodedPosition,
    quote: z
      .object({
        exact: z.string().min(1).max(L.quoteChars),
        prefix: z.string().max(L.quoteContextChars),
        suffix: z.string().max(L.quoteContextChars),
      })
      .strict(),
  })
  .strict();
export type Anchor = z.infer<typeof anchorSchema>;

export const messageSchema = z
  .object({
    id: entityId,
    authorId: userId,
    body: z.string().trim().min(1).max(L.messageChars),
    mentions: z.array(userId).max(L.mentionsPerMessage),
    createdAt: timestamp,
    editedAt: timestamp.nullable(),
  })
  .strict();
export type Message = z.infer<typeof messageSchema>;

export const evidenceSchema = z
  .object({
    id: entityId,
    url: httpUrl,
    title: z.string().trim().max(L.evidenceTitleChars),
    publisher: z.string().trim().max(L.publisherChars),
    stance: z.enum(STANCES),
    note: z.string().max(L.noteChars),
    addedBy: userId,
    addedAt: timestamp,
  })
  .strict();
export type Evidence = z.infer<typeof evidenceSchema>;

/**
 * An editor's sign-off: who, when, and a fingerprint of exactly what they approved (see approval.ts).
 * It stays on a claim after a later change so the history shows what had been approved; it then no
 * longer covers the claim and reads as void.
 */
export const approvalSchema = z
  .object({
    by: userId,
    at: timestamp,
    covers: z.string().min(1).max(128),
    verdict: z.string().max(40).nullable(),
  })
  .strict();
export type Approval = z.infer<typeof approvalSchema>;

/** A claim's fields. Each is its own key in a Y.Map, so two people changing different fields never clash. */
export const claimSchema = z
  .object({
    claimant: z.string().max(L.claimantChars),
    appearedIn: z.string().max(L.appearedInChars),
    appearedOn: z.union([z.iso.date(), z.literal("")]),
    assigneeId: userId.nullable(),
    state: z.enum(CLAIM_STATES),
    verdict: z.string().max(40).nullable(),
    rationale: z.string().max(L.rationaleChars),
    verdictBy: userId.nullable(),
    verdictAt: timestamp.nullable(),
    updatedBy: userId,
    updatedAt: timestamp,
    /** Missing in documents from before the approval gate; read as null. */
    approval: approvalSchema.nullable().optional(),
  })
  .strict();
export type Claim = z.infer<typeof claimSchema>;

export const threadSchema = z
  .object({
    id: entityId,
    kind: z.enum(THREAD_KINDS),
    createdBy: userId,
    createdAt: timestamp,
    anchor: anchorSchema,
    resolved: z.boolean(),
    resolvedBy: userId.nullable(),
    resolvedAt: timestamp.nullable(),
    messages: z.record(entityId, messageSchema),
    claim: claimSchema.optional(),
    evidence: z.record(entityId, evidenceSchema).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.kind === "claim" && (!t.claim || !t.evidence)) ctx.addIssue({ code: "custom", message: "a claim needs its claim fields and evidence" });
    if (t.kind === "comment" && (t.claim || t.evidence)) ctx.addIssue({ code: "custom", message: "a comment has no claim fields or evidence" });
    for (const [key, m] of Object.entries(t.messages)) if (m.id !== key) ctx.addIssue({ code: "custom", message: "message id must match its key" });
    for (const [key, e] of Object.entries(t.evidence ?? {})) if (e.id !== key) ctx.addIssue({ code: "custom", message: "evidence id must match its key" });
  });
export type Thread = z.infer<typeof threadSchema>;
