"use client";

import { useId, useState } from "react";
import type { Person, RevisionCompareResponse } from "@/model/revisions/api";
import type { DiffParagraph, DiffSegment } from "@/model/revisions/types";
import type { VerdictScale } from "@/model/verdict-scale";
import { describeAnnotationChange } from "./describe";

const SYSTEM: Person = { id: "", name: "System", colour: "#5f6368" };

/** Who made a run of the diff; null (the import, or a restore without an actor) is the system. */
function authorOf(authors: Map<string, Person>, by: string | null | undefined): Person {
  return (by && authors.get(by)) || SYSTEM;
}

function Segment({ segment, authors }: { segment: DiffSegment; authors: Map<string, Person> }) {
  if (segment.kind === "same") return <>{segment.text}</>;
  const author = authorOf(authors, segment.by);
  const style = { "--author": author.colour } as React.CSSProperties;
  return segment.kind === "insert" ? (
    <ins className="diff-ins" style={style} title={`Added by ${author.name}`} data-author={author.name}>
      {segment.text}
    </ins>
  ) : (
    <del className="diff-del" style={style} title={`Deleted by ${author.name}`} data-author={author.name}>
      {segment.text}
    </del>
  );
}

function Paragraph({ paragraph, authors }: { paragraph: DiffParagraph; authors: Map<string, Person> }) {
  return (
    <p className={`diff-paragraph diff-${paragraph.status}`} data-status={paragraph.status}>
      {paragraph.segments.map((s, i) => (
        <Segment key={i} segment={s} authors={authors} />
      ))}
    </p>
  );
}

/**
 * What changed between two revisions: the text inline (insertions and deletions as <ins> and <del>,
 * coloured by their author, named in a legend and on hover) and the list of annotation changes.
 */
export function Comparison({ comparison, scale, nameOf }: { comparison: RevisionCompareResponse; scale: VerdictScale; nameOf: (id: string | null) => string }) {
  const [showAll, setShowAll] = useState(false);
  const textHeading = useId();
  const annotationsHeading = useId();
  const authors = new Map(comparison.authors.map((a) => [a.id, a]));
  const { paragraphs, annotations, stats } = comparison;
  const changed = paragraphs.filter((p) => p.status !== "same");
  const hasSystem = paragraphs.some((p) => p.segments.some((s) => s.kind !== "same" && !(s.by && authors.has(s.by))));
  const legend = [...comparison.authors, ...(hasSystem ? [SYSTEM] : [])];
  const nameWithAuthors = (id: string | null) => (id && authors.get(id)?.name) || nameOf(id);

  return (
    <div className="stack comparison">
      <p className="small" data-testid="compare-stats">
        <strong>{stats.wordsAdded}</strong> {stats.wordsAdded === 1 ? "word" : "words"} added, <strong>{stats.wordsRemoved}</strong> removed ·{" "}
        <strong>{annotations.length}</strong> annotation {annotations.length === 1 ? "change" : "changes"}
      </p>
      <section aria-labelledby={textHeading} className="stack">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h3 id={textHeading} className="history-subhead">
            Text
          </h3>
          {changed.length > 0 && changed.length < paragraphs.length && (
            <label className="row small" style={{ fontWeight: 400 }}>
              <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} style={{ width: "auto" }} /> Show unchanged paragraphs
            </label>
          )}
        </div>
        {legend.length > 0 && changed.length > 0 && (
          <ul className="diff-legend small" aria-label="Changes by">
            {legend.map((a) => (
              <li key={a.id || "system"}>
                <span className="dot" style={{ background: a.colour }} aria-hidden="true" /> {a.name}
              </li>
            ))}
          </ul>
        )}
        {changed.length === 0 ? (
          <p className="muted small">The text is the same in both versions.</p>
        ) : (
          <div className="diff-text article-body" data-testid="diff-text">
            {(showAll ? paragraphs : changed).map((p, i) => (
              <Paragraph key={i} paragraph={p} authors={authors} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby={annotationsHeading} className="stack">
        <h3 id={annotationsHeading} className="history-subhead">
          Annotations
        </h3>
        {annotations.length === 0 ? (
          <p className="muted small">No annotation changes.</p>
        ) : (
          <ul className="annotation-changes" aria-label="Annotation changes">
            {annotations.map((c, i) => (
              <li key={i} data-kind={c.kind} data-testid="annotation-change">
                {describeAnnotationChange(c, { scale, nameOf: nameWithAuthors })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
