import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A PostgreSQL URL; without it the app runs on the embedded database under DATA_DIR. */
  DATABASE_URL: optional,
  DATA_DIR: z.string().default("./data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optional,
  /** Signs session cookies and collaboration tickets. Generated and kept under DATA_DIR when embedded. */
  NEXTAUTH_SECRET: optional,
  NEXTAUTH_URL: optional,
  GITHUB_ID: optional,
  GITHUB_SECRET: optional,
  OIDC_ISSUER: optional,
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_NAME: z.string().default("Single sign-on"),
  /** The public websocket URL of the collaboration server(s), when they run apart from the app. */
  COLLAB_URL: optional,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

const globalForEnv = globalThis as unknown as { __factdeskEnv?: Env };

/**
 * The process environment, parsed by zod on first use. `server/main.ts` fills in derived values
 * (the embedded database URL, the generated secret) before anything calls this.
 */
export function env(): Env {
  globalForEnv.__factdeskEnv ??= schema.parse(process.env);
  return globalForEnv.__factdeskEnv;
}

/** Forgets the parsed environment, for the start-up code after it has set derived variables. */
export function resetEnv(): void {
  delete globalForEnv.__factdeskEnv;
}

/** The secret that signs sessions and tickets; refuses to run without one. */
export function authSecret(): string {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set. Set it, or start the app with `npm start`.");
  return secret;
}
