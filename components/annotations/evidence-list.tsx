"use client";

import { useState } from "react";
import { httpUrl } from "@/model/schemas";
import { addEvidence, removeEvidence, REVIEW_LIMITS, STANCE_LABELS, STANCES, type Stance, type Thread } from "@/model/review";
import { memberName, useReviewEnv } from "./review-context";
import { EvidenceItem } from "./evidence-item";
import { ErrorAlert } from "../ui/error-alert";


/** A claim's evidence, each with its stance as an icon plus text, and a form to add more. */
export function EvidenceList({ thread, editable }: { thread: Thread; editable: boolean }) {
  const env = useReviewEnv();
  const items = Object.values(thread.evidence ?? {}).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState("");

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const url = String(form.get("url") ?? "").trim();
    if (!httpUrl.safeParse(url).success) {
      setError("Use a full http:// or https:// address.");
      return;
    }
    addEvidence(env.doc, thread.id, {
      by: env.me.id,
      evidence: {
        url,
        title: String(form.get("title") ?? "").trim(),
        publisher: String(form.get("publisher") ?? "").trim(),
        stance: form.get("stance") as Stance,
        note: String(form.get("note") ?? ""),
      },
    });
    setError("");
    setAdding(false);
  }

  return (
    <section className="evidence" aria-label="Evidence">
      <h4>Evidence ({items.length})</h4>
      {items.length > 0 && (
        <ul className="evidence-list">
          {items.map((e) => (
            <EvidenceItem
              key={e.id}
              evidence={e}
              addedBy={memberName(env.members, e.addedBy, env.guest)}
              actions={
                editable && (
                  <>
                    {" · "}
                    <button type="button" className="linkish" onClick={() => removeEvidence(env.doc, thread.id, e.id)}>
                      Remove
                    </button>
                  </>
                )
              }
            />
          ))}
        </ul>
      )}
      {editable &&
        (adding ? (
          <form className="stack evidence-form" onSubmit={onSubmit} aria-label="Add evidence">
            <ErrorAlert message={error} />
            <label>
              URL
              <input name="url" type="url" required placeholder="https://" maxLength={2000} />
            </label>
            <label>
              Title
              <input name="title" maxLength={REVIEW_LIMITS.evidenceTitleChars} />
            </label>
            <label>
              Publisher
              <input name="publisher" maxLength={REVIEW_LIMITS.publisherChars} />
            </label>
            <fieldset className="row" aria-label="Stance">
              {STANCES.map((s) => (
                <label key={s} className="row" style={{ fontWeight: 400 }}>
                  <input type="radio" name="stance" value={s} defaultChecked={s === "supports"} style={{ width: "auto" }} /> {STANCE_LABELS[s]}
                </label>
              ))}
            </fieldset>
            <label>
              Note
              <textarea name="note" rows={2} maxLength={REVIEW_LIMITS.noteChars} style={{ minHeight: 0 }} />
            </label>
            <div className="row">
              <button type="submit" className="primary">
                Add evidence
              </button>
              <button type="button" onClick={() => setAdding(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            + Add evidence
          </button>
        ))}
    </section>
  );
}
