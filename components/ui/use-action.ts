"use client";

import { useCallback, useState } from "react";

/**
 * Runs a user action (usually an API call) with a busy flag and a readable error. On success the
 * busy flag stays set when `keepBusy` is true, for actions that navigate away (no double submit).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const run = useCallback(async (action: () => Promise<unknown>, options: { keepBusy?: boolean } = {}) => {
    setBusy(true);
    setError("");
    try {
      await action();
      if (!options.keepBusy) setBusy(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
