"use client";

import { useState } from "react";

/** A text field that writes to the document when it loses focus, so typing is not one update per key. */
export function LazyField({ label, value, maxLength, multiline, disabled, onCommit }: { label: string; value: string; maxLength: number; multiline?: boolean; disabled: boolean; onCommit: (v: string) => void }) {
  // While focused, the field shows the person's draft; otherwise the document's live value.
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  const common = {
    "aria-label": label,
    value: draft ?? value,
    maxLength,
    disabled,
    onFocus: () => setDraft(value),
    onBlur: commit,
  };
  return (
    <label>
      {label}
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => setDraft(e.target.value)} className="rationale" />
      ) : (
        <input {...common} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === "Enter" && (e.currentTarget as HTMLInputElement).blur()} />
      )}
    </label>
  );
}
