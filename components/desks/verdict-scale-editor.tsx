"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { DEFAULT_VERDICT_SCALE, teamSettingsInput, type TeamSettings, type Verdict } from "@/model/verdict-scale";
import { apiFetch } from "../ui/api-client";

/** Lets an owner rename, recolour, redefine, reorder, add and remove verdicts; others read the scale. */
export function VerdictScaleEditor({ teamSlug, settings, editable }: { teamSlug: string; settings: TeamSettings; editable: boolean }) {
  const router = useRouter();
  const [scale, setScale] = useState<Verdict[]>(settings.verdictScale);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const update = (i: number, patch: Partial<Verdict>) => setScale((s) => s.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const move = (i: number, by: -1 | 1) =>
    setScale((s) => {
      const next = [...s];
      const [item] = next.splice(i, 1);
      next.splice(i + by, 0, item!);
      return next;
    });

  async function save() {
    const parsed = teamSettingsInput.safeParse({ ...settings, verdictScale: scale });
    if (!parsed.success) {
      setMessage({ kind: "error", text: parsed.error.issues[0]?.message ?? "The scale is not valid." });
      return;
    }
    try {
      await apiFetch(`/api/teams/${teamSlug}/settings`, { method: "PUT", body: parsed.data });
      setMessage({ kind: "ok", text: "Saved. The new scale applies from the next time an article is opened." });
      router.refresh();
    } catch (e) {
      setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    }
  }

  return (
    <section className="card stack" aria-label="Verdict scale">
      <div>
        <h2 style={{ margin: 0, fontSize: 18 }}>Verdict scale</h2>
        <p className="muted small">The ratings this desk gives claims, best first. The rating value is what ClaimReview publishes; every colour is shown with its label.</p>
      </div>
      {message && (
        <p className={message.kind === "ok" ? "notice" : "alert"} role={message.kind === "ok" ? "status" : "alert"}>
          {message.text}
        </p>
      )}
      <table aria-label="Verdicts">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Colour</th>
            <th scope="col">Definition</th>
            <th scope="col">Rating</th>
            {editable && <th scope="col" />}
          </tr>
        </thead>
        <tbody>
          {scale.map((v, i) => (
            <tr key={i} data-testid="verdict-row">
              <td>
                {editable ? <input aria-label={`Label of verdict ${i + 1}`} value={v.label} maxLength={40} onChange={(e) => update(i, { label: e.target.value })} /> : <span className="verdict-badge" style={{ background: v.colour }}>{v.label}</span>}
              </td>
              <td>{editable ? <input type="color" aria-label={`Colour of ${v.label}`} value={v.colour} onChange={(e) => update(i, { colour: e.target.value })} style={{ width: 48, padding: 2 }} /> : v.colour}</td>
              <td>{editable ? <input aria-label={`Definition of ${v.label}`} value={v.definition} maxLength={500} onChange={(e) => update(i, { definition: e.target.value })} /> : v.definition}</td>
              <td>
                {editable ? (
                  <input type="number" min={1} max={10} aria-label={`Rating of ${v.label}`} value={v.ratingValue} onChange={(e) => update(i, { ratingValue: Number(e.target.value) })} style={{ width: 64 }} />
                ) : (
                  v.ratingValue
                )}
              </td>
              {editable && (
                <td className="row" style={{ flexWrap: "nowrap" }}>
                  <button type="button" aria-label={`Move ${v.label} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move ${v.label} down`} disabled={i === scale.length - 1} onClick={() => move(i, 1)}>
                    ↓
                  </button>
                  <button type="button" className="danger" aria-label={`Remove ${v.label}`} disabled={scale.length <= 2} onClick={() => setScale((s) => s.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <div className="row">
          <button
            type="button"
            onClick={() =>
              setScale((s) => [...s, { key: `verdict-${Date.now().toString(36)}`, label: "New verdict", colour: "#5f6368", definition: "Describe when this verdict applies.", ratingValue: 1 }])
            }
          >
            + Add verdict
          </button>
          <button type="button" onClick={() => setScale(DEFAULT_VERDICT_SCALE)}>
            Restore the default scale
          </button>
          <button type="button" className="primary" onClick={() => void save()}>
            Save scale
          </button>
        </div>
      )}
    </section>
  );
}
