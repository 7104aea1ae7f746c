import { z } from "zod";
import { LIMITS } from "../limits";
import { httpUrl, optionalText, requiredText } from "./common";

/** Body of POST /api/teams/:team/articles: the pasted article and where it came from. */
export const importArticleInput = z.object({
  title: requiredText(LIMITS.titleChars),
  format: z.enum(["text", "html"]),
  content: z.string().trim().min(1, "Paste the article text").max(LIMITS.importedArticleChars),
  sourceUrl: z
    .union([z.literal(""), httpUrl])
    .optional()
    .transform((v) => (v ? v : undefined)),
  publisher: optionalText(200),
  author: optionalText(200),
  publishedAt: z
    .union([z.literal(""), z.iso.date()])
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type ImportArticleInput = z.infer<typeof importArticleInput>;

/** Query of GET /api/teams/:team/articles. */
export const listArticlesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
