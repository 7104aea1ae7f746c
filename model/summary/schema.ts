import { z } from "zod";
import { approvalSchema } from "../review/schema";

/** Length limits for the desk's verdict on a whole article. */
export const SUMMARY_LIMITS = { takeawayChars: 280 } as const;

const userId = z.uuid();
const timestamp = z.iso.datetime({ offset: true });

/**
 * The `verdict` map of the summary room: the overall rating (a key of the desk's scale), the key
 * takeaway, who rated and when, and the approval. Each field is its own key of the map, so that two
 * people changing different fields never clash; a key nobody has set yet reads as its default.
 */
export const summaryVerdictSchema = z
  .object({
    rating: z.string().max(40).nullable().default(null),
    takeaway: z.string().max(SUMMARY_LIMITS.takeawayChars).default(""),
    ratedBy: userId.nullable().default(null),
    ratedAt: timestamp.nullable().default(null),
    approval: approvalSchema.nullable().default(null),
  })
  .strict();
export type SummaryVerdict = z.infer<typeof summaryVerdictSchema>;

/** The summary nobody has written yet. */
export const EMPTY_SUMMARY_VERDICT: SummaryVerdict = { rating: null, takeaway: "", ratedBy: null, ratedAt: null, approval: null };
