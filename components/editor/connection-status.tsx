import type { ConnectionState } from "./use-collab-session";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  syncing: "Syncing…",
  connected: "Live",
  offline: "Offline: changes are kept on this device",
  stopped: "Disconnected",
};

/** Whether your changes are reaching the desk right now, or why not (the session's message, when it has one). */
export function ConnectionStatus({ state, message }: { state: ConnectionState; message?: string }) {
  return (
    <span className={`status status-${state}`} role="status" aria-live="polite" data-state={state} title={message}>
      <span className="status-dot" aria-hidden="true" />
      {message ?? LABELS[state]}
    </span>
  );
}
