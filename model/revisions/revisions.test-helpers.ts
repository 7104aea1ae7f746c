import * as Y from "yjs";
import { bodyFragment, encodeBodySeed } from "../article-doc";
import { plainTextToDoc } from "../editor-extensions";
import { encodeReviewSeed } from "../review";
import type { LogRow } from "./types";

/** Test-only: a room's update log as the server keeps it, written by editors with chosen Yjs client ids. */

export const ALICE = "aaaaaaaa-0000-4000-8000-00000000000a";
export const BOB = "bbbbbbbb-0000-4000-8000-00000000000b";
export const CAROL = "cccccccc-0000-4000-8000-00000000000c";

const START = Date.parse("2025-03-01T09:00:00.000Z");

/** One room: the server's document and its log of updates, each with the user who sent it. */
export class Room {
  readonly doc = new Y.Doc();
  readonly rows: LogRow[] = [];

  /** A room whose first row is `seed`, written by the server (no user). */
  constructor(seed: Uint8Array) {
    this.append(null, seed);
  }

  /** A body room seeded from plain text (blank lines between paragraphs). */
  static body(text: string): Room {
    return new Room(encodeBodySeed(plainTextToDoc(text)));
  }

  /** A review room as the server creates it. */
  static review(): Room {
    return new Room(encodeReviewSeed());
  }

  /** Logs an update from `userId` and applies it to the server's document. */
  append(userId: string | null, update: Uint8Array): LogRow {
    const row: LogRow = { id: BigInt(this.rows.length + 1), userId, createdAt: new Date(START + this.rows.length * 60_000), update };
    this.rows.push(row);
    Y.applyUpdate(this.doc, update);
    return row;
  }

  /** The last row's id: the position a revision taken now would cover. */
  get position(): bigint {
    return this.rows[this.rows.length - 1]!.id;
  }

  /** The full state now. */
  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /**
   * Runs `change` in an editor of `userId` whose Yjs client id is `clientId` (as one session keeps
   * it), and logs what it sent. Returns whatever `change` returns.
   */
  edit<T>(userId: string | null, clientId: number, change: (doc: Y.Doc) => T): T {
    const editor = new Y.Doc();
    Y.applyUpdate(editor, this.state());
    // Set after loading: Yjs renames a client whose id arrives in a remote update.
    editor.clientID = clientId;
    const updates: Uint8Array[] = [];
    editor.on("update", (u: Uint8Array) => updates.push(u));
    const result = editor.transact(() => change(editor));
    if (updates.length) this.append(userId, Y.mergeUpdates(updates));
    editor.destroy();
    return result;
  }
}

/** The Y.XmlText of top-level paragraph `index` (its first child). */
export function paragraphTextOf(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = bodyFragment(doc).get(index);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
  if (!(text instanceof Y.XmlText)) throw new Error(`paragraph ${index} holds no text`);
  return text;
}

/** A new paragraph element holding `text`. */
export function paragraphOf(text: string): Y.XmlElement {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  return paragraph;
}

/** A text node's characters, without its formatting. */
export function plainText(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}

/** The offset of `phrase` in paragraph `index`; throws when it is not there. */
export function offsetIn(doc: Y.Doc, index: number, phrase: string): number {
  const at = plainText(paragraphTextOf(doc, index)).indexOf(phrase);
  if (at === -1) throw new Error(`"${phrase}" is not in paragraph ${index}`);
  return at;
}
