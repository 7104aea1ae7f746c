import { buildOpenApiDocument } from "@/lib/openapi/document";

// The document depends only on code, so it is built once per server process.
let cached: string | undefined;

/** The OpenAPI 3.1 description of this API; public, like the routes' own shapes. */
export async function GET(): Promise<Response> {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return new Response(cached, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, max-age=300, stale-while-revalidate=3600",
      "x-content-type-options": "nosniff",
    },
  });
}
