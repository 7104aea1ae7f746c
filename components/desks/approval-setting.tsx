"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { teamSettingsInput, type TeamSettings } from "@/model/verdict-scale";
import { apiFetch } from "../ui/api-client";

/**
 * The desk's approval rule: whether the author of a verdict may approve it. A switch that saves at
 * once (owners); everyone else reads the rule.
 */
export function ApprovalSetting({ teamSlug, settings, editable }: { teamSlug: string; settings: TeamSettings; editable: boolean }) {
  const router = useRouter();
  const [on, setOn] = useState(settings.allowSelfApproval);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const hintId = useId();

  async function toggle(next: boolean) {
    setOn(next);
    setBusy(true);
    setMessage(null);
    try {
      // The settings are replaced as a whole; the scale is sent as stored, so only the rule changes.
      const body = teamSettingsInput.parse({ ...settings, allowSelfApproval: next });
      await apiFetch(`/api/teams/${teamSlug}/settings`, { method: "PUT", body });
      setMessage({ kind: "ok", text: next ? "Saved: authors may now approve their own verdicts." : "Saved: a verdict now needs an editor other than its author." });
      router.refresh();
    } catch (e) {
      setOn(!next);
      setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-label="Approval">
      <div>
        <h2 style={{ margin: 0, fontSize: 18 }}>Approval</h2>
        <p className="muted small" id={hintId} style={{ margin: "4px 0 0" }}>
          Before a claim or the summary is published, an editor approves it. Any later change to what was approved puts it back into review.
        </p>
      </div>
      {editable ? (
        <label className="switch-row">
          <input type="checkbox" role="switch" checked={on} disabled={busy} aria-describedby={hintId} onChange={(e) => void toggle(e.target.checked)} />
          <span>Authors may approve their own verdicts</span>
          <span className="badge" aria-hidden="true">
            {on ? "On" : "Off"}
          </span>
        </label>
      ) : (
        <p className="small" style={{ margin: 0 }}>
          {settings.allowSelfApproval ? "Authors may approve their own verdicts." : "A verdict must be approved by an editor other than its author."}
        </p>
      )}
      {message && (
        <p className={message.kind === "ok" ? "notice" : "alert"} role={message.kind === "ok" ? "status" : "alert"}>
          {message.text}
        </p>
      )}
    </section>
  );
}
