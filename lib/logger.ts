import pino from "pino";
import { env } from "./env";

const globalForLogger = globalThis as unknown as { __factdeskLogger?: pino.Logger };

/** The process-wide structured logger. */
export function logger(): pino.Logger {
  globalForLogger.__factdeskLogger ??= pino({ level: env().LOG_LEVEL, base: { app: "factdesk" } });
  return globalForLogger.__factdeskLogger;
}
