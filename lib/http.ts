import type { NextRequest } from "next/server";
import { z } from "zod";
import { LIMITS } from "@/model/limits";
import { checkRequestOrigin } from "./auth/origin";
import { AppError, isAppError } from "./errors";
import { logger } from "./logger";

/** The JSON error body every API failure shares. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A JSON response. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, init);
}

function errorResponse(error: AppError): Response {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message, details: error.details } };
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return json(body, { status: error.status, headers });
}

/** Converts anything thrown by a handler into the API's error shape; unexpected errors are logged, not leaked. */
export function toErrorResponse(error: unknown): Response {
  if (isAppError(error)) return errorResponse(error);
  if (error instanceof z.ZodError) {
    return errorResponse(new AppError("bad_request", "The request is not valid.", { details: z.flattenError(error) }));
  }
  logger().error({ err: error }, "unhandled API error");
  return errorResponse(new AppError("internal", "Something went wrong on our side."));
}

type RouteContext<P> = { params: Promise<P> };

const BAD_ORIGIN_MESSAGE = {
  cross_origin: "This request came from another site and was refused.",
  missing_origin: "This request does not say which site it came from, so it was refused.",
} as const;

/**
 * Wraps a route handler so every failure becomes `{ error: { code, message } }` with a fitting status,
 * and so no cookie-authenticated state change runs on another site's behalf (403 `bad_origin`).
 */
export function apiRoute<P = Record<string, never>>(
  handler: (req: NextRequest, ctx: RouteContext<P>) => Promise<Response>,
): (req: NextRequest, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    try {
      const verdict = checkRequestOrigin(req);
      if (verdict) {
        // `bad_origin` answers before the handler (and its body parsing) runs; it is not an AppError code
        // because nothing but this guard produces it.
        const body: ApiErrorBody = { error: { code: "bad_origin", message: BAD_ORIGIN_MESSAGE[verdict] } };
        return json(body, { status: 403 });
      }
      return await handler(req, ctx);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/**
 * Reads a body as UTF-8 text, but stops reading (and refuses) as soon as it passes `limit` bytes, so an
 * undeclared (chunked) oversized body is never buffered whole.
 */
async function readBodyText(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", "The request body is too large.");
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** UTF-16 surrogates without their pair; in a `u` regex, a proper pair is one code point and does not match. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * Whether a string, or any string or key inside a parsed JSON value, holds a character PostgreSQL
 * cannot store: NUL (refused in text and jsonb) or an unpaired surrogate (refused in jsonb).
 */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000") || LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([key, v]) => hasUnstorableText(key) || hasUnstorableText(v));
  return false;
}

const UNSTORABLE_MESSAGE = "The request holds a character that cannot be stored (NUL or an unpaired surrogate).";

/** Reads and validates a JSON body, refusing oversized and non-JSON requests before parsing. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > LIMITS.requestBodyBytes) throw new AppError("payload_too_large", "The request body is too large.");
  const text = await readBodyText(req, LIMITS.requestBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  if (hasUnstorableText(body)) throw new AppError("bad_request", UNSTORABLE_MESSAGE);
  return schema.parse(body);
}

/** Validates the query string. */
export function readQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  const query = Object.fromEntries(req.nextUrl.searchParams);
  if (hasUnstorableText(query)) throw new AppError("bad_request", UNSTORABLE_MESSAGE);
  return schema.parse(query);
}

/** Parses a path id; anything that is not a UUID is simply unknown. */
export function parseId(value: string, what = "resource"): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw new AppError("not_found", `No such ${what}.`);
  return parsed.data;
}
