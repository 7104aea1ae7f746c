import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { z } from "zod";
import { LIMITS } from "@/model/limits";

/**
 * Generators of hostile HTTP input for fuzzing the API's route handlers: bodies (arbitrary JSON,
 * objects shaped like a route's zod schema but with wrong types, overlong or odd strings, non-JSON
 * text, wrong content types), path parameters and query strings.
 */

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/**
 * Every route file under app/api, by its OpenAPI path (`[id]` and `[...all]` become `{id}` and
 * `{all}`), so that a route in lib/openapi/routes.ts can be imported without naming its file.
 */
export function apiRouteFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string, segments: string[]): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")]);
      else if (entry.name === "route.ts") files.set(`/api/${segments.join("/")}`, path.join(dir, entry.name));
    }
  };
  walk(path.join(ROOT, "app/api"), []);
  return files;
}

/** Strings that have broken web servers and databases before. */
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "..",
  "../..",
  "../../etc/passwd",
  "%2e%2e%2f%2e%2e%2f",
  "..%2F..%2Fetc%2Fpasswd",
  "/",
  "\\",
  "%00",
  "%",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "9".repeat(40),
  "current",
  "__proto__",
  "constructor",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "😀".repeat(50),
  "\u202e\u0301\u200b",
  "x".repeat(2_000),
];

/** Characters that text columns, jsonb or JSON handling have choked on: NUL, lone surrogates, controls, BOM, bidi. */
const AWKWARD_CHARS = ["\u0000", "\ud800", "\udfff", "\u0001", "\u001f", "\u007f", "\ufeff", "\u202e", "\uffff"];

/** Ordinary-looking text with one awkward character somewhere in it, so that it passes length and format checks. */
const textWithAwkwardChar: fc.Arbitrary<string> = fc
  .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...AWKWARD_CHARS), fc.nat())
  .map(([text, char, at]) => text.slice(0, at % (text.length + 1)) + char + text.slice(at % (text.length + 1)));

/** Any string: awkward characters in ordinary text, code points of every kind, graphemes, or a nasty one. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: textWithAwkwardChar },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** Overlong strings, from just over the usual field limits to most of a request body. */
const overlongString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(301, 2_001, 20_000, LIMITS.importedArticleChars + 1, 900_000), fc.constantFrom("x", "é", "😀", "\u0000"))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** A value of the wrong kind for almost any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2),
  anyString,
  { weight: 1, arbitrary: overlongString },
  fc.array(anyString, { maxLength: 3 }),
  fc.dictionary(anyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Values that look right for common fields, so that more bodies get past the schema and deeper in. */
const plausibleValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom("owner", "editor", "checker", "commenter", "viewer", "text", "html", "w3c", "markdown", "claimreview", "json", "csv"),
  fc.constantFrom("https://example.org/a", "http://example.com/?q=1", "javascript:alert(1)", "ftp://x", "mailto:a@b.c"),
  fc.constantFrom("person@example.org", "not an email", "a@b", "2024-01-31", "2024-02-30", "2024-01-31T12:00:00Z", "yesterday"),
  fc.integer({ min: -5, max: 40 }),
  fc.string({ minLength: 1, maxLength: 30 }),
);

/** The zod schema inside wrappers that do not change which keys an object has. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else break;
  }
  return current;
}

/**
 * Values shaped like `schema`: its objects' keys (some left out, an unknown one added now and then),
 * its arrays, its enums' options, and at every leaf a plausible value or a wrong one.
 */
export function shapedLike(schema: z.ZodType | undefined, depth = 3): fc.Arbitrary<unknown> {
  const inner = schema ? unwrap(schema) : undefined;
  if (!inner || depth === 0) return fc.oneof(wrongValue, plausibleValue);
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodType>;
    const fields = Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, shapedLike(child, depth - 1)]));
    return fc
      .tuple(fc.record(fields, { requiredKeys: [] }), fc.option(fc.tuple(anyString, wrongValue), { freq: 4 }))
      .map(([record, extra]) => (extra ? { ...record, [extra[0]]: extra[1] } : record));
  }
  if (inner instanceof z.ZodArray) return fc.oneof(fc.array(shapedLike(inner.element as z.ZodType, depth - 1), { maxLength: 4 }), wrongValue);
  if (inner instanceof z.ZodEnum) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(inner.options as unknown[])) }, { weight: 1, arbitrary: wrongValue });
  if (inner instanceof z.ZodUnion) return fc.oneof(...(inner.options as z.ZodType[]).map((option) => shapedLike(option, depth - 1)), wrongValue);
  if (inner instanceof z.ZodString) return fc.oneof({ weight: 2, arbitrary: plausibleValue }, { weight: 3, arbitrary: anyString }, { weight: 1, arbitrary: wrongValue });
  return fc.oneof(plausibleValue, wrongValue);
}

/** Strings in the formats zod knows, valid ones. */
const FORMATTED: Record<string, fc.Arbitrary<string>> = {
  email: fc.constantFrom("fuzz@example.org", "someone.else@example.com"),
  url: fc.constantFrom("https://example.org/a", "http://example.com/b?c=1"),
  uuid: fc.uuid(),
  guid: fc.uuid(),
  date: fc.constantFrom("2024-01-31", "1999-12-31"),
  datetime: fc.constantFrom("2024-01-31T12:00:00Z", "2024-01-31T12:00:00.000Z"),
};

/** Short text within a string schema's length bounds, now and then with an awkward character in it. */
function textWithin(min: number, max: number): fc.Arbitrary<string> {
  const fit = (text: string) => (text.length < min ? text.padEnd(min, "a") : text).slice(0, Math.max(min, Math.min(max, 60)));
  const plain = fc.constantFrom("fuzz-desk", "a claim", "Ünïcödé text", "ok");
  return fc.oneof({ weight: 2, arbitrary: plain }, { weight: 3, arbitrary: textWithAwkwardChar }).map(fit);
}

/**
 * Values that satisfy `schema` as far as its shape, formats, bounds and options go (regex patterns
 * aside), with awkward characters inside otherwise valid text: such bodies get past validation and
 * reach the database.
 */
export function validish(schema: z.ZodType | undefined, depth = 4): fc.Arbitrary<unknown> {
  if (!schema || depth === 0) return plausibleValue;
  if (schema instanceof z.ZodPipe) return validish(schema.in as z.ZodType, depth);
  if (schema instanceof z.ZodDefault) return fc.oneof(fc.constant(undefined), validish(schema.unwrap() as z.ZodType, depth));
  if (schema instanceof z.ZodOptional) return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: validish(schema.unwrap() as z.ZodType, depth) });
  if (schema instanceof z.ZodNullable) return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: validish(schema.unwrap() as z.ZodType, depth) });
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return fc.record(Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, validish(child, depth - 1)]))).map((record) =>
      Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)),
    );
  }
  if (schema instanceof z.ZodArray) return fc.array(validish(schema.element as z.ZodType, depth - 1), { maxLength: 3 });
  if (schema instanceof z.ZodEnum) return fc.constantFrom(...(schema.options as unknown[]));
  if (schema instanceof z.ZodLiteral) return fc.constantFrom(...(schema.values as Set<unknown>));
  if (schema instanceof z.ZodUnion) return fc.oneof(...(schema.options as z.ZodType[]).map((option) => validish(option, depth - 1)));
  if (schema instanceof z.ZodBoolean) return fc.boolean();
  if (schema instanceof z.ZodNumber) {
    const min = Number.isFinite(schema.minValue) ? schema.minValue! : -5;
    const max = Number.isFinite(schema.maxValue) ? schema.maxValue! : 1_000;
    return schema.isInt ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, min + 1_000)) }) : fc.double({ min, max: Math.min(max, min + 1_000), noNaN: true });
  }
  const format = (schema as { format?: unknown }).format;
  if (typeof format === "string" && FORMATTED[format]) return FORMATTED[format]!;
  if (schema instanceof z.ZodString) return textWithin(schema.minLength ?? 0, schema.maxLength ?? 60);
  return plausibleValue;
}

/** A request body: JSON of some shape, text that is not JSON, or JSON sent under another content type. */
export type FuzzBody = { kind: "json"; value: unknown } | { kind: "raw"; text: string; contentType: string | undefined };

const NOT_JSON = ["", "{", "[1,", "{'a': 1}", "undefined", "NaN", "\u0000", "{\"a\":1}{", "nul", "\ufeff{}", "[".repeat(10_000)];
const OTHER_CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonp", "json", "*/*"];

/** Bodies for a route whose body schema is `schema` (undefined when the route takes no body). */
export function bodyArbitrary(schema: z.ZodType | undefined): fc.Arbitrary<FuzzBody> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((v): FuzzBody => ({ kind: "json", value: v }));
  return fc.oneof(
    { weight: 4, arbitrary: json(validish(schema)) },
    { weight: 4, arbitrary: json(shapedLike(schema)) },
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 3 })) },
    { weight: 1, arbitrary: json(wrongValue) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom(...NOT_JSON), fc.string({ unit: "binary", maxLength: 60 })), fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON"))
        .map(([text, contentType]): FuzzBody => ({ kind: "raw", text, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shapedLike(schema), fc.constantFrom<string | undefined>(undefined, ...OTHER_CONTENT_TYPES))
        .map(([value, contentType]): FuzzBody => ({ kind: "raw", text: JSON.stringify(value) ?? "null", contentType })),
    },
  );
}

/** Path parameter values: the right ones (so that handlers go deep), other ids, and anything at all. */
export function paramArbitrary(known: string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 3, arbitrary: anyString });
}

/** Query strings: the schema's own keys and unknown ones, with numbers, dates, ids and anything at all. */
export function queryArbitrary(schema: z.ZodType | undefined): fc.Arbitrary<Record<string, string>> {
  const inner = schema ? unwrap(schema) : undefined;
  const keys = inner instanceof z.ZodObject ? Object.keys(inner.shape as object) : [];
  const key = keys.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: anyString }) : anyString;
  const value = fc.oneof(
    fc.constantFrom("1", "0", "-1", "2", "50", "100", "101", "1.5", "1e3", "1e309", "99999999999999999999", "9223372036854775808", "NaN", "true", "current"),
    fc.constantFrom("2024-01-31", "2024-01-31T00:00:00Z", "2024-02-30", "0000-00-00", "json", "csv", "w3c", "markdown", "claimreview"),
    fc.uuid(),
    anyString,
  );
  return fc.dictionary(key, value, { maxKeys: 5 });
}
