import { describe, expect, it } from "vitest";
import { z } from "zod";
import { GET as getOpenApi } from "@/app/api/openapi.json/route";
import { POST as signupRoute } from "@/app/api/signup/route";
import { POST as importArticleRoute } from "@/app/api/teams/[team]/articles/route";
import { POST as createTeamRoute } from "@/app/api/teams/route";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { call, createUser, uniqueEmail, type Handler } from "../support/api";
import { useTestApp } from "../support/test-database";

type Json = Record<string, unknown>;
type JsonSchema = Parameters<typeof z.fromJSONSchema>[0];

const app = useTestApp();
const doc = buildOpenApiDocument();

/** The documented request body of one operation, rebuilt as a validator from the document's JSON Schema. */
function documentedBody(method: string, path: string): z.ZodType {
  const op = (doc.paths as Record<string, Record<string, Json>>)[path]![method.toLowerCase()]!;
  const ref = ((((op.requestBody as Json).content as Json)["application/json"] as Json).schema as Json).$ref as string;
  const name = ref.replace("#/components/schemas/", "");
  return z.fromJSONSchema(((doc.components as Json).schemas as Record<string, JsonSchema>)[name]!);
}

/** The status codes the document lists for one operation. */
function documentedStatuses(method: string, path: string): string[] {
  const op = (doc.paths as Record<string, Record<string, Json>>)[path]![method.toLowerCase()]!;
  return Object.keys(op.responses as Json);
}

describe("GET /api/openapi.json", () => {
  it("serves the document publicly as cacheable JSON", async () => {
    const res = await call(getOpenApi as Handler, { path: "/api/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe("documented request bodies agree with what the routes accept", () => {
  it("POST /api/signup", async () => {
    const schema = documentedBody("POST", "/api/signup");
    const accepted = { name: "Ada Lovelace", email: uniqueEmail("ada"), password: "correct horse battery" };
    const refused = { name: "Ada Lovelace", email: "not an email", password: "correct horse battery" };
    expect(schema.safeParse(accepted).success).toBe(true);
    expect(schema.safeParse(refused).success).toBe(false);

    const ok = await call(signupRoute as Handler, { path: "/api/signup", json: accepted });
    expect(ok.status).toBe(201);
    expect(documentedStatuses("POST", "/api/signup")).toContain(String(ok.status));
    const bad = await call(signupRoute as Handler, { path: "/api/signup", json: refused });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    expect(documentedStatuses("POST", "/api/signup")).toContain("400");
  });

  it("POST /api/teams and POST /api/teams/{team}/articles", async () => {
    const user = await createUser(app);
    const teamSchema = documentedBody("POST", "/api/teams");
    const team = { name: "Openapi desk" };
    expect(teamSchema.safeParse(team).success).toBe(true);
    expect(teamSchema.safeParse({ name: "" }).success).toBe(false);
    const created = await call(createTeamRoute as Handler, { path: "/api/teams", as: user, json: team });
    expect(created.status).toBe(201);
    const refusedTeam = await call(createTeamRoute as Handler, { path: "/api/teams", as: user, json: { name: "" } });
    expect(refusedTeam.status).toBe(400);

    const articleSchema = documentedBody("POST", "/api/teams/{team}/articles");
    const article = { title: "A story", format: "text", content: "Some text worth checking.", sourceUrl: "", publisher: "Daily" };
    const refusedArticle = { title: "A story", format: "pdf", content: "Some text." };
    expect(articleSchema.safeParse(article).success).toBe(true);
    expect(articleSchema.safeParse(refusedArticle).success).toBe(false);
    const path = `/api/teams/${created.body.team.slug}/articles`;
    const params = { team: created.body.team.slug };
    const imported = await call(importArticleRoute as Handler, { path, params, as: user, json: article });
    expect(imported.status).toBe(201);
    const refused = await call(importArticleRoute as Handler, { path, params, as: user, json: refusedArticle });
    expect(refused.status).toBe(400);
    expect(documentedStatuses("POST", "/api/teams/{team}/articles")).toEqual(expect.arrayContaining(["201", "400"]));
  });
});
