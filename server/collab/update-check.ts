import { getSchema } from "@tiptap/core";
import * as Y from "yjs";
import { articleExtensions } from "@/model/editor-extensions";
import { BODY_FRAGMENT, type RoomKind } from "@/model/rooms";

/**
 * Checks a writer's update before it is applied, beyond what the room's guard checks. Nothing here
 * touches the document: each new item's parent is found in the update itself or in the room's
 * document, as Yjs would find it when integrating.
 *
 * - In every room, no string may hold U+0000: PostgreSQL can store it neither in text nor in jsonb,
 *   so one such character would make every later projection and revision of the article fail.
 * - In every room, an update that builds on changes the server does not have yet waits (the caller
 *   keeps it aside). A reconnecting client's new edits can overtake its answer to our sync step 1;
 *   Yjs itself would park such an update inside the document, unapplied, outside the size limit and
 *   unchecked, hand it to every newcomer and write it into every checkpoint, for ever if what it
 *   waits for never comes.
 * - The text of the `body` and `summary` rooms (their fragment; what lies beside it is not read as
 *   text) is free for its writers, but only in the shapes the editor itself writes: elements of the editor's schema in the fragment, elements and text in
 *   elements, strings and the schema's marks in text. Anything else (a bare string or map in the
 *   fragment, an unknown node or mark) is valid Yjs that makes y-tiptap throw, in every browser that
 *   opens the article and on the server when it makes revisions, exports and publications.
 */

/**
 * Apply it (the room's guard may still refuse it), refuse it, or keep it until what it builds on has
 * arrived: `needs` maps each writer's client id to the clock the document must reach first.
 */
export type UpdateCheck = { verdict: "apply" } | { verdict: "wait"; needs: Map<number, number> } | { verdict: "refuse"; reason: string };

const APPLY: UpdateCheck = { verdict: "apply" };
const refuse = (reason: string): UpdateCheck => ({ verdict: "refuse", reason });

const UNSTORABLE = "The update holds a NUL character, which cannot be stored.";
const MISPLACED = "The update puts something into the text that the editor cannot show.";
const UNPLACEABLE = "The update holds an item with no place in the document.";

/**
 * The fragment holding each room's rich text. What lies beside it is not read as text: the summary's
 * guard checks it, and the body ignores it.
 */
const TEXT_FRAGMENT: Partial<Record<RoomKind, string>> = { body: BODY_FRAGMENT, summary: BODY_FRAGMENT };

/** Where an item lands: its parent's kind and its key (for map-like entries such as attributes). */
type Place =
  | { kind: "root"; name: string; key: string | null }
  | { kind: "element" | "text" | "other"; key: string | null }
  /** Next to or inside garbage-collected content: Yjs drops the item. */
  | { kind: "gone" }
  /** Its parent or neighbour is neither in the update nor in the document (yet). */
  | { kind: "missing" }
  /** Neither parent nor neighbours, or neighbours that lead back to the item: Yjs could never place it. */
  | { kind: "broken" };

let schemaNames: { nodes: Set<string>; marks: Set<string> } | undefined;

function names(): { nodes: Set<string>; marks: Set<string> } {
  if (!schemaNames) {
    const schema = getSchema(articleExtensions);
    // `doc` is the fragment itself and `text` is Y.XmlText, never an element.
    schemaNames = {
      nodes: new Set(Object.keys(schema.nodes).filter((name) => name !== "doc" && name !== "text")),
      marks: new Set(Object.keys(schema.marks)),
    };
  }
  return schemaNames;
}

/** y-tiptap stores overlapping marks of one type under `<mark>--<8-char hash>`. */
function markName(formatKey: string): string {
  return /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(formatKey)?.[1] ?? formatKey;
}

function kindOfType(type: unknown): "element" | "text" | "other" {
  if (type instanceof Y.XmlElement) return "element";
  if (type instanceof Y.XmlText) return "text";
  return "other";
}

/** Whether a value from an update (a string, or JSON-like content) holds U+0000 anywhere, keys included. */
function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    return Object.entries(value).some(([key, v]) => key.includes("\u0000") || holdsNul(v));
  }
  return false;
}

/** The strings an item brings: its map key, its root's name, and its content's strings and names. */
function itemHoldsNul(item: Y.Item): boolean {
  if (holdsNul(item.parentSub) || holdsNul(item.parent)) return true;
  const content = item.content;
  if (content instanceof Y.ContentString) return holdsNul(content.str);
  if (content instanceof Y.ContentAny) return holdsNul(content.arr);
  if (content instanceof Y.ContentJSON) return holdsNul(content.arr);
  if (content instanceof Y.ContentFormat) return holdsNul(content.key) || holdsNul(content.value);
  if (content instanceof Y.ContentEmbed) return holdsNul(content.embed);
  if (content instanceof Y.ContentType) {
    const type = content.type;
    return type instanceof Y.XmlElement ? holdsNul(type.nodeName) : type instanceof Y.XmlHook ? holdsNul(type.hookName) : false;
  }
  return false;
}

/** Finds where the items of one update land, looking in the update first and then in the document. */
class Placer {
  /** What the document must hold before the update can be integrated: client id → clock it must reach. */
  readonly needs = new Map<number, number>();
  private readonly byClient = new Map<number, (Y.Item | Y.GC)[]>();
  private readonly places = new Map<Y.Item, Place>();
  private readonly rootNames = new Map<unknown, string>();

  constructor(
    private readonly doc: Y.Doc,
    structs: (Y.Item | Y.GC)[],
  ) {
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.byClient.set(struct.id.client, [struct]);
    }
    for (const [name, type] of doc.share) this.rootNames.set(type, name);
  }

  /** Notes that the document must hold `client`'s changes up to (not including) `clock`. */
  need(client: number, clock: number): void {
    this.needs.set(client, Math.max(this.needs.get(client) ?? 0, clock));
  }

  /** The structs of each writer in the update, in clock order. */
  clients(): IterableIterator<[number, (Y.Item | Y.GC)[]]> {
    return this.byClient.entries();
  }

  /** The struct holding `id`, and whether it comes from the update (or else from the document). */
  private find(id: Y.ID): { struct: Y.Item | Y.GC; inUpdate: boolean } | undefined {
    const list = this.byClient.get(id.client);
    if (list) {
      let low = 0;
      let high = list.length - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        const struct = list[mid]!;
        if (id.clock < struct.id.clock) high = mid - 1;
        else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
        else return { struct, inUpdate: true };
      }
    }
    if (id.clock >= Y.getState(this.doc.store, id.client)) {
      this.need(id.client, id.clock + 1);
      return undefined;
    }
    const struct = Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
    return struct instanceof Y.Item || struct instanceof Y.GC ? { struct, inUpdate: false } : undefined;
  }

  /** The place of an item the document already holds. */
  private placeInDoc(item: Y.Item): Place {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return { kind: "gone" };
    const root = this.rootNames.get(parent);
    if (root !== undefined && parent._item === null) return { kind: "root", name: root, key: item.parentSub };
    return { kind: kindOfType(parent), key: item.parentSub };
  }

  /** The place of an item from the update; neighbours are followed without recursion, so long chains are fine. */
  placeOf(start: Y.Item): Place {
    const chain: Y.Item[] = [];
    const seen = new Set<Y.Item>();
    let item = start;
    let place: Place | undefined;
    while (!place) {
      const known = this.places.get(item);
      if (known) {
        place = known;
        break;
      }
      if (seen.has(item)) {
        place = { kind: "broken" };
        break;
      }
      seen.add(item);
      chain.push(item);
      const parent = item.parent as unknown;
      if (typeof parent === "string") {
        place = { kind: "root", name: parent, key: item.parentSub };
      } else if (parent && typeof parent === "object" && "client" in parent) {
        const parentItem = this.find(parent as Y.ID)?.struct;
        if (parentItem === undefined) place = { kind: "missing" };
        else if (parentItem instanceof Y.GC || !(parentItem.content instanceof Y.ContentType)) {
          // A collected parent, or one deleted (its content dropped) meanwhile: Yjs collects the item too.
          place = { kind: "gone" };
        } else place = { kind: kindOfType(parentItem.content.type), key: item.parentSub };
      } else {
        // No parent written: Yjs takes the left neighbour's (or else the right one's) parent and key.
        const left = item.origin ? this.find(item.origin) : null;
        const right = item.rightOrigin ? this.find(item.rightOrigin) : null;
        const neighbour = left ?? right;
        if (left === undefined || right === undefined) place = { kind: "missing" };
        else if (!neighbour) place = { kind: "broken" };
        else if (left?.struct instanceof Y.GC || right?.struct instanceof Y.GC) place = { kind: "gone" };
        else if (neighbour.inUpdate) item = neighbour.struct as Y.Item;
        else place = this.placeInDoc(neighbour.struct as Y.Item);
      }
    }
    for (const visited of chain) this.places.set(visited, place);
    return place;
  }
}

/** Whether an item fits a rich-text room's text (undefined), or why not. */
function shapeProblem(fragment: string, place: Place, content: Y.Item["content"]): string | undefined {
  const { nodes, marks } = names();
  switch (place.kind) {
    // Not integrated now (judged again when it is), or inside a type that is neither an element nor
    // text: never in the text, since nothing else gets in there.
    case "gone":
    case "missing":
    case "broken":
    case "other":
      return undefined;
    case "root":
      if (place.name !== fragment) return undefined;
      return place.key === null && content instanceof Y.ContentType && content.type instanceof Y.XmlElement && nodes.has(content.type.nodeName)
        ? undefined
        : MISPLACED;
    case "element": {
      if (place.key !== null) return content instanceof Y.ContentAny ? undefined : MISPLACED;
      const type = content instanceof Y.ContentType ? content.type : undefined;
      return type instanceof Y.XmlText || (type instanceof Y.XmlElement && nodes.has(type.nodeName)) ? undefined : MISPLACED;
    }
    case "text":
      if (place.key !== null) return content instanceof Y.ContentAny ? undefined : MISPLACED;
      if (content instanceof Y.ContentString) return undefined;
      return content instanceof Y.ContentFormat && marks.has(markName(content.key)) ? undefined : MISPLACED;
  }
}

/**
 * Decides what to do with a writer's `update` to a room of `kind` whose document is `doc`. A refusal
 * carries a reason safe to show. Throws if the update cannot be decoded.
 */
export function checkUpdate(kind: RoomKind, doc: Y.Doc, update: Uint8Array): UpdateCheck {
  const decoded = Y.decodeUpdate(update);
  const structs: (Y.Item | Y.GC)[] = [];
  const holes: { client: number; end: number }[] = [];
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Item) {
      if (itemHoldsNul(struct)) return refuse(UNSTORABLE);
      structs.push(struct);
    } else if (struct instanceof Y.GC) structs.push(struct);
    // A skip stands for a range the update lacks: what follows it cannot be integrated yet.
    else holes.push({ client: struct.id.client, end: struct.id.clock + struct.length });
  }
  const placer = new Placer(doc, structs);
  for (const hole of holes) if (Y.getState(doc.store, hole.client) < hole.end) placer.need(hole.client, hole.end);
  const fragment = TEXT_FRAGMENT[kind];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Deleted items too: Yjs parks one whose neighbours or parent are missing like any other, so
    // what it waits for counts.
    const place = placer.placeOf(struct);
    if (place.kind === "broken") return refuse(UNPLACEABLE);
    if (struct.content instanceof Y.ContentDeleted) continue;
    // A misplaced item is refused even while other parts wait, so it is never kept.
    const problem = fragment ? shapeProblem(fragment, place, struct.content) : undefined;
    if (problem) return refuse(problem);
  }
  // Each writer's structs must start where the server's copy of that writer ends (or before), and
  // deletions may only name content the server or the update holds.
  const known = new Map<number, number>();
  for (const [client, list] of placer.clients()) {
    const state = Y.getState(doc.store, client);
    if (list[0]!.id.clock > state) placer.need(client, list[0]!.id.clock);
    const last = list.at(-1)!;
    known.set(client, Math.max(state, last.id.clock + last.length));
  }
  for (const [client, deletions] of decoded.ds.clients) {
    const end = known.get(client) ?? Y.getState(doc.store, client);
    for (const d of deletions) if (d.clock + d.len > end) placer.need(client, d.clock + d.len);
  }
  return placer.needs.size ? { verdict: "wait", needs: placer.needs } : APPLY;
}
