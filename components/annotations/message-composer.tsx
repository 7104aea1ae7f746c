"use client";

import { useId, useMemo, useRef, useState } from "react";
import { REVIEW_LIMITS } from "@/model/review";
import type { DeskMember } from "./review-context";

/** The ids of members mentioned as `@Name` in a message. */
export function mentionsIn(body: string, members: DeskMember[]): string[] {
  return members.filter((m) => body.includes(`@${m.name}`)).map((m) => m.userId);
}

/**
 * A message box with @-mention autocomplete: typing `@` and part of a name offers the desk's
 * members; arrow keys and Enter pick one.
 */
export function MessageComposer({
  members,
  placeholder,
  submitLabel,
  initial = "",
  onSubmit,
  onCancel,
  autoFocus,
}: {
  members: DeskMember[];
  placeholder: string;
  submitLabel: string;
  initial?: string;
  onSubmit: (body: string, mentions: string[]) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const [body, setBody] = useState(initial);
  const [caret, setCaret] = useState(0);
  const [highlighted, setHighlighted] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();

  const query = useMemo(() => {
    const before = body.slice(0, caret);
    const match = /(^|\s)@([^\s@]{0,30})$/.exec(before);
    return match ? { text: match[2] ?? "", start: before.length - (match[2]?.length ?? 0) - 1 } : null;
  }, [body, caret]);
  const suggestions = query ? members.filter((m) => m.name.toLowerCase().includes(query.text.toLowerCase())).slice(0, 6) : [];

  const pick = (member: DeskMember) => {
    if (!query) return;
    const next = `${body.slice(0, query.start)}@${member.name} ${body.slice(caret)}`;
    const position = query.start + member.name.length + 2;
    setBody(next);
    setCaret(position);
    requestAnimationFrame(() => ref.current?.setSelectionRange(position, position));
  };

  const submit = () => {
    const text = body.trim();
    if (!text) return;
    onSubmit(text, mentionsIn(text, members));
    setBody("");
    setCaret(0);
  };

  return (
    <div className="composer">
      <textarea
        ref={ref}
        value={body}
        placeholder={placeholder}
        aria-label={placeholder}
        maxLength={REVIEW_LIMITS.messageChars}
        autoFocus={autoFocus}
        rows={2}
        role="combobox"
        aria-expanded={suggestions.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        onChange={(e) => {
          setBody(e.target.value);
          setCaret(e.target.selectionStart);
          setHighlighted(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (suggestions.length) {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
              e.preventDefault();
              setHighlighted((h) => (h + (e.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length);
              return;
            }
            if (e.key === "Enter" || e.key === "Tab") {
              e.preventDefault();
              pick(suggestions[highlighted] ?? suggestions[0]!);
              return;
            }
          }
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            submit();
          }
          if (e.key === "Escape") onCancel?.();
        }}
      />
      {suggestions.length > 0 && (
        <ul className="mention-list" role="listbox" id={listId} aria-label="Mention someone">
          {suggestions.map((m, i) => (
            <li
              key={m.userId}
              role="option"
              aria-selected={i === highlighted}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
            >
              {m.name}
            </li>
          ))}
        </ul>
      )}
      <div className="row composer-actions">
        <button type="button" className="primary" onClick={submit} disabled={!body.trim()}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </div>
  );
}
