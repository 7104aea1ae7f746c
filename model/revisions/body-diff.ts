import * as Y from "yjs";
import { bodyFragment } from "../article-doc";
import { loadDoc } from "./load";
import { mergeByKey } from "./merge";
import type { AuthorId, Authorship, DiffParagraph, DiffSegment } from "./types";

/** One character of the text (a UTF-16 unit, or "\n" for a line break) and the Yjs id it was typed as. */
interface Char {
  client: number;
  clock: number;
  text: string;
}

/** A paragraph or heading: its element's id, and its visible characters in order. */
interface Block {
  key: string;
  chars: Char[];
}

const charKey = (c: Char) => `${c.client}:${c.clock}`;
const isTextblock = (el: Y.XmlElement) => el.nodeName === "paragraph" || el.nodeName === "heading" || el.toArray().some((c) => c instanceof Y.XmlText);

/** The visible characters of a text node, each with its own id (an item holding "abc" at clock 7 is 7, 8, 9). */
function textChars(text: Y.XmlText, out: Char[]): void {
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    const str = item.content.str;
    for (let i = 0; i < str.length; i++) out.push({ client: item.id.client, clock: item.id.clock + i, text: str[i]! });
  }
}

/** A textblock's characters: its text nodes, with a line break (hardBreak) as "\n" under the break's own id. */
function inlineChars(el: Y.XmlElement, out: Char[]): Char[] {
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) textChars(child, out);
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === "hardBreak" && child._item) out.push({ client: child._item.id.client, clock: child._item.id.clock, text: "\n" });
      else inlineChars(child, out);
    }
  }
  return out;
}

/** Every paragraph and heading of a body, in document order, however deep in lists and quotes. */
function blocksOf(doc: Y.Doc): Block[] {
  const blocks: Block[] = [];
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement) || !child._item) continue;
      if (isTextblock(child)) blocks.push({ key: `${child._item.id.client}:${child._item.id.clock}`, chars: inlineChars(child, []) });
      else visit(child);
    }
  };
  visit(bodyFragment(doc));
  return blocks;
}

type Mark = { kind: DiffSegment["kind"]; by: AuthorId | undefined; char: Char };

/** Consecutive characters of one kind and one author become one segment. */
function segmentsOf(marks: Mark[]): DiffSegment[] {
  const segments: DiffSegment[] = [];
  for (const { kind, by, char } of marks) {
    const last = segments[segments.length - 1];
    if (last && last.kind === kind && last.by === by) last.text += char.text;
    else segments.push(kind === "same" ? { kind, text: char.text } : { kind, text: char.text, by });
  }
  return segments;
}

/**
 * Words touched by a change: whitespace-separated words of one side of a paragraph (the old text for
 * deletions, the new one for insertions) holding at least one changed character. Changing a letter of
 * a word counts it once as removed and once as added; typing a space that splits a word counts nothing.
 */
function touchedWords(marks: Mark[], side: "delete" | "insert"): number {
  let count = 0;
  let inWord = false;
  let touched = false;
  for (const m of marks) {
    if (m.kind !== "same" && m.kind !== side) continue;
    if (/\s/.test(m.char.text)) {
      if (inWord && touched) count++;
      inWord = touched = false;
    } else {
      inWord = true;
      touched ||= m.kind === side;
    }
  }
  return inWord && touched ? count + 1 : count;
}

/**
 * The inline comparison of two states of a body room. Characters are matched by their Yjs identity,
 * not by text: one present only in `to` was inserted, one present only in `from` was deleted, and
 * retyping a word shows as a deletion and an insertion. Paragraphs are matched the same way by their
 * element, so a joined paragraph shows its moved words inserted into the first and deleted from the
 * second. Inserted runs are credited to the author of their Yjs client, deleted runs to the user whose
 * log row deleted them.
 */
export function compareBodies(
  from: Uint8Array,
  to: Uint8Array,
  authorship: Authorship,
): { paragraphs: DiffParagraph[]; wordsAdded: number; wordsRemoved: number } {
  const fromDoc = loadDoc(from);
  const toDoc = loadDoc(to);
  try {
    const inserted = (char: Char): Mark => ({ kind: "insert", by: authorship.insertedBy(char.client), char });
    const deleted = (char: Char): Mark => ({ kind: "delete", by: authorship.deletedBy(char), char });
    const paragraphs: DiffParagraph[] = [];
    let wordsAdded = 0;
    let wordsRemoved = 0;
    for (const step of mergeByKey(blocksOf(fromDoc), blocksOf(toDoc), (b) => b.key)) {
      let marks: Mark[];
      let status: DiffParagraph["status"];
      if (step.op === "insert") {
        marks = step.to.chars.map(inserted);
        status = "inserted";
      } else if (step.op === "delete") {
        marks = step.from.chars.map(deleted);
        status = "deleted";
      } else {
        marks = mergeByKey(step.from.chars, step.to.chars, charKey).map((s): Mark =>
          s.op === "same" ? { kind: "same", by: undefined, char: s.to } : s.op === "insert" ? inserted(s.to) : deleted(s.from),
        );
        status = marks.every((m) => m.kind === "same") ? "same" : "changed";
      }
      wordsAdded += touchedWords(marks, "insert");
      wordsRemoved += touchedWords(marks, "delete");
      paragraphs.push({ status, segments: segmentsOf(marks) });
    }
    return { paragraphs, wordsAdded, wordsRemoved };
  } finally {
    fromDoc.destroy();
    toDoc.destroy();
  }
}
