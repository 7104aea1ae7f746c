/**
 * What parts of this process report about their own health, beside the database check the health
 * route makes itself: the collaboration server's update log while PostgreSQL is away, the Redis relay
 * while Redis is. Process-wide on purpose: the health route and the collaboration server share one
 * process under `npm start`, and `npm run start:collab` answers its own /health from the same state.
 */
export interface ComponentHealth {
  ok: boolean;
  /** What is wrong, for people reading /api/health. */
  detail?: string;
  /** Figures worth showing, e.g. how many updates wait to be stored. */
  metrics?: Record<string, number>;
}

// On globalThis because Next bundles the health route apart from the custom server: a module-level map
// would be two maps under `npm start`, and the route would never see the collaboration server's reports.
const globalForHealth = globalThis as unknown as { __factdeskHealth?: Map<string, ComponentHealth> };
const components = (globalForHealth.__factdeskHealth ??= new Map<string, ComponentHealth>());

/** Records a component's current health; `ok: true` clears an earlier problem. */
export function reportHealth(component: string, health: ComponentHealth): void {
  components.set(component, health);
}

/** Every component's last report. */
export function componentHealth(): Record<string, ComponentHealth> {
  return Object.fromEntries(components);
}

/** True when every component that reported is ok. */
export function componentsHealthy(): boolean {
  for (const health of components.values()) if (!health.ok) return false;
  return true;
}
