import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";

export const DEMO_PASSWORD = "factdesk-demo";
export const demoUser = (role: "owner" | "editor" | "checker" | "commenter" | "viewer") => ({
  email: `${role}@demo.factdesk.test`,
  password: DEMO_PASSWORD,
});

/** A fresh identity, so tests never share accounts or desks. */
export function newPerson(label = "person") {
  const id = randomBytes(4).toString("hex");
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.com`, password: `pw-${randomBytes(8).toString("hex")}` };
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in the page's context. */
export async function signInByApi(request: APIRequestContext, creds: { email: string; password: string }): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { email: creds.email, password: creds.password, csrfToken, json: "true" },
  });
  expect(res.ok()).toBeTruthy();
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(creds.email);
}

/** Creates an account through the API and signs it in. */
export async function signUpByApi(request: APIRequestContext, person: { name: string; email: string; password: string }): Promise<void> {
  const res = await request.post("/api/signup", { data: person });
  expect(res.status()).toBe(201);
  await signInByApi(request, person);
}
