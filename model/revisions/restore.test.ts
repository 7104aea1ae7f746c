import { getSchema } from "@tiptap/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bodyFragment, bodyToJson } from "../article-doc";
import { articleExtensions, docToPlainText } from "../editor-extensions";
import {
  addEvidence,
  addMessage,
  createThread,
  deleteThread,
  readThreads,
  resolveAnchorText,
  setResolved,
  threadsMap,
  updateClaim,
  type Thread,
} from "../review";
import { anchorIn } from "../review/review.test-helpers";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { buildAuthorship } from "./authorship";
import { compareBodies } from "./body-diff";
import { loadDoc } from "./load";
import { computeRestore } from "./restore";
import { ALICE, BOB, CAROL, Room, offsetIn, paragraphOf, paragraphTextOf, plainText } from "./revisions.test-helpers";

const schema = getSchema(articleExtensions);
/** A body as ProseMirror would hold it (adjacent text of equal marks joined). */
const normalisedBody = (doc: Y.Doc) => schema.nodeFromJSON(bodyToJson(doc)).toJSON() as unknown;
const byId = (threads: Thread[]) => [...threads].sort((a, b) => a.id.localeCompare(b.id));
/** Threads without their anchors' positions, which a restore may move onto re-inserted text. */
const withoutPositions = (threads: Thread[]) => byId(threads).map((t) => ({ ...t, anchor: { quote: t.anchor.quote } }));

type States = { body: Uint8Array; review: Uint8Array };
const statesOf = (body: Room, review: Room): States => ({ body: body.state(), review: review.state() });

/** Documents at `states` with the restore's updates applied. */
function applyRestore(states: States, restore: { body: Uint8Array | null; review: Uint8Array | null }) {
  const body = loadDoc(states.body);
  const review = loadDoc(states.review);
  if (restore.body) Y.applyUpdate(body, restore.body);
  if (restore.review) Y.applyUpdate(review, restore.review);
  return { body, review };
}

/** That the restored rooms hold the target's content, with every anchor that resolved in the target resolving to the same text. */
function expectRestored(restored: { body: Y.Doc; review: Y.Doc }, target: States): { reanchored: number } {
  const targetBody = loadDoc(target.body);
  const targetReview = loadDoc(target.review);
  expect(normalisedBody(restored.body)).toEqual(normalisedBody(targetBody));
  expect(docToPlainText(bodyToJson(restored.body))).toBe(docToPlainText(bodyToJson(targetBody)));
  const before = byId(readThreads(targetReview));
  const after = byId(readThreads(restored.review));
  expect(withoutPositions(after)).toEqual(withoutPositions(before));
  let reanchored = 0;
  before.forEach((thread, i) => {
    const was = resolveAnchorText(targetBody, thread.anchor);
    const still = resolveAnchorText(restored.body, thread.anchor);
    if (!was || still?.text === was.text) expect(after[i]!.anchor).toEqual(thread.anchor);
    else {
      reanchored++;
      expect(resolveAnchorText(restored.body, after[i]!.anchor)?.text).toBe(was.text);
    }
  });
  return { reanchored };
}

describe("computeRestore", () => {
  it("brings back deleted text, threads and verdicts, re-anchoring claims on the re-inserted text", () => {
    const body = Room.body("The minister said unemployment fell.\n\nMore than 16,000 fighters travelled to the region.\n\nA closing line.");
    const review = Room.review();
    const phrase = "16,000 fighters";
    const from = offsetIn(body.doc, 1, phrase);
    const claim = review.edit(ALICE, 11, (doc) =>
      createThread(doc, { kind: "claim", anchor: anchorIn(paragraphTextOf(body.doc, 1), from, from + phrase.length), by: ALICE, claim: { verdict: "mostly-true" } }),
    );
    const comment = review.edit(BOB, 12, (doc) =>
      createThread(doc, { kind: "comment", anchor: anchorIn(paragraphTextOf(body.doc, 0), 4, 12), by: BOB, message: { body: "Which minister?", mentions: [] } }),
    );
    const target = statesOf(body, review);

    body.edit(ALICE, 21, (doc) => paragraphTextOf(doc, 0).insert(offsetIn(doc, 0, " fell"), " sharply"));
    body.edit(BOB, 22, (doc) => bodyFragment(doc).delete(1, 1));
    review.edit(CAROL, 13, (doc) => deleteThread(doc, comment));
    review.edit(BOB, 12, (doc) => updateClaim(doc, claim, { by: BOB, patch: { verdict: "false", rationale: "No." } }));
    const extra = review.edit(BOB, 12, (doc) => createThread(doc, { kind: "comment", anchor: anchorIn(paragraphTextOf(body.doc, 1), 0, 9), by: BOB }));
    const current = statesOf(body, review);
    expect(resolveAnchorText(body.doc, readThreads(loadDoc(target.review)).find((t) => t.id === claim)!.anchor)).toBeNull();

    const restore = computeRestore(current, target);
    expect(restore.body).not.toBeNull();
    expect(restore.review).not.toBeNull();
    const restored = applyRestore(current, restore);
    expectRestored(restored, target);
    const threads = readThreads(restored.review);
    expect(threads.map((t) => t.id).sort()).toEqual([claim, comment].sort());
    expect(threads.some((t) => t.id === extra)).toBe(false);
    const restoredClaim = threads.find((t) => t.id === claim)!;
    expect(restoredClaim.claim).toMatchObject({ verdict: "mostly-true", rationale: "" });
    expect(resolveAnchorText(restored.body, restoredClaim.anchor)?.text).toBe(phrase);

    // A minimal rewrite: the untouched text keeps its characters, only the changes are retyped.
    const log = body.rows.length;
    if (restore.body) body.append(CAROL, restore.body);
    const diff = compareBodies(current.body, body.state(), buildAuthorship(body.rows, { afterId: BigInt(log), uptoId: body.position }));
    expect(diff.paragraphs).toEqual([
      {
        status: "changed",
        segments: [
          // The text diff keeps the first space it can (Alice's) and deletes the original one after "sharply".
          { kind: "same", text: "The minister said unemployment " },
          { kind: "delete", text: "sharply ", by: CAROL },
          { kind: "same", text: "fell." },
        ],
      },
      { status: "inserted", segments: [{ kind: "insert", text: "More than 16,000 fighters travelled to the region.", by: CAROL }] },
      { status: "same", segments: [{ kind: "same", text: "A closing line." }] },
    ]);

    // Restoring again changes nothing, and so does restoring a state onto itself.
    expect(computeRestore({ body: body.state(), review: Y.encodeStateAsUpdate(restored.review) }, target)).toEqual({ body: null, review: null });
    expect(computeRestore(target, target)).toEqual({ body: null, review: null });
  });

  it("is deterministic and writes as a client neither state holds", () => {
    const body = Room.body("One.\n\nTwo.");
    const review = Room.review();
    const target = statesOf(body, review);
    body.edit(ALICE, 21, (doc) => paragraphTextOf(doc, 1).insert(0, "Still "));
    review.edit(ALICE, 11, (doc) => createThread(doc, { kind: "comment", anchor: anchorIn(paragraphTextOf(body.doc, 0), 0, 3), by: ALICE }));
    const current = statesOf(body, review);
    const first = computeRestore(current, target);
    const second = computeRestore(current, target);
    expect(first).toEqual(second);
    const writers = (update: Uint8Array) => [...Y.parseUpdateMeta(update).from.keys()];
    const known = new Set([...loadDoc(current.body).store.clients.keys(), ...loadDoc(current.review).store.clients.keys()]);
    expect(writers(first.body!).some((c) => known.has(c))).toBe(false);
    // The review restore only deletes: it carries no structs at all.
    expect(writers(first.review!)).toEqual([]);
    expect(readThreads(applyRestore(current, first).review)).toEqual([]);
  });

  it("leaves concurrent edits of other parts of a thread alone", () => {
    const body = Room.body("Crime fell by 40 percent.");
    const review = Room.review();
    const claim = review.edit(ALICE, 11, (doc) => createThread(doc, { kind: "claim", anchor: anchorIn(paragraphTextOf(body.doc, 0), 0, 10), by: ALICE }));
    const target = statesOf(body, review);
    review.edit(BOB, 12, (doc) => updateClaim(doc, claim, { by: BOB, patch: { verdict: "false" } }));
    const current = statesOf(body, review);
    const restore = computeRestore(current, target);
    expect(restore.body).toBeNull();
    // Meanwhile Carol adds evidence to the same claim.
    review.edit(CAROL, 13, (doc) => addEvidence(doc, claim, { by: CAROL, evidence: { url: "https://example.org/a", title: "A", publisher: "", stance: "supports", note: "" } }));
    review.append(ALICE, restore.review!);
    const thread = readThreads(review.doc)[0]!;
    expect(thread.claim?.verdict).toBeNull();
    expect(Object.values(thread.evidence ?? {}).map((e) => e.title)).toEqual(["A"]);
  });
});

describe("property: a restore reproduces the target and converges with concurrent edits", () => {
  const USERS = [ALICE, BOB, CAROL];
  const words = fc.stringMatching(/^[a-c ]{1,6}$/);
  const op = fc.oneof(
    fc.record({ t: fc.constant("type" as const), p: fc.nat(), at: fc.nat(), text: words }),
    fc.record({ t: fc.constant("delete" as const), p: fc.nat(), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ t: fc.constant("bold" as const), p: fc.nat(), at: fc.nat(), len: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ t: fc.constant("newParagraph" as const), p: fc.nat(), text: fc.option(words, { nil: "" }) }),
    fc.record({ t: fc.constant("dropParagraph" as const), p: fc.nat() }),
    fc.record({ t: fc.constant("lineBreak" as const), p: fc.nat(), text: words }),
    fc.record({ t: fc.constant("flag" as const), p: fc.nat(), at: fc.nat(), len: fc.integer({ min: 1, max: 6 }), claim: fc.boolean() }),
    fc.record({ t: fc.constant("verdict" as const), pick: fc.nat(), verdict: fc.constantFrom(null, ...DEFAULT_VERDICT_SCALE.map((v) => v.key)) }),
    fc.record({ t: fc.constant("evidence" as const), pick: fc.nat() }),
    fc.record({ t: fc.constant("resolve" as const), pick: fc.nat(), resolved: fc.boolean() }),
    fc.record({ t: fc.constant("reply" as const), pick: fc.nat() }),
    fc.record({ t: fc.constant("dropThread" as const), pick: fc.nat() }),
  );
  const step = fc.record({ who: fc.nat(2), op });
  type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

  /** The first text node of top-level paragraph `p` (modulo their number), if it has one. */
  function textOf(doc: Y.Doc, p: number): Y.XmlText | undefined {
    const fragment = bodyFragment(doc);
    if (fragment.length === 0) return undefined;
    const paragraph = fragment.get(p % fragment.length);
    const first = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
    return first instanceof Y.XmlText ? first : undefined;
  }

  function run(body: Room, review: Room, { who, op: o }: Step): void {
    const user = USERS[who]!;
    const bodyClient = 100 + who;
    const reviewClient = 200 + who;
    const pickThread = (pick: number) => {
      const ids = [...threadsMap(review.doc).keys()].sort();
      return ids.length ? ids[pick % ids.length] : undefined;
    };
    switch (o.t) {
      case "type":
        return body.edit(user, bodyClient, (doc) => {
          const text = textOf(doc, o.p);
          text?.insert(o.at % (text.length + 1), o.text);
        });
      case "delete":
      case "bold":
        return body.edit(user, bodyClient, (doc) => {
          const text = textOf(doc, o.p);
          if (!text || text.length === 0) return;
          const at = o.at % text.length;
          const len = Math.min(o.len, text.length - at);
          if (o.t === "delete") text.delete(at, len);
          else text.format(at, len, { bold: {} });
        });
      case "newParagraph":
        return body.edit(user, bodyClient, (doc) => bodyFragment(doc).insert(o.p % (bodyFragment(doc).length + 1), [paragraphOf(o.text)]));
      case "dropParagraph":
        return body.edit(user, bodyClient, (doc) => {
          const fragment = bodyFragment(doc);
          if (fragment.length > 1) fragment.delete(o.p % fragment.length, 1);
        });
      case "lineBreak":
        return body.edit(user, bodyClient, (doc) => {
          const fragment = bodyFragment(doc);
          const paragraph = fragment.get(o.p % fragment.length);
          if (paragraph instanceof Y.XmlElement) paragraph.push([new Y.XmlElement("hardBreak"), new Y.XmlText(o.text)]);
        });
      case "flag": {
        const text = textOf(body.doc, o.p);
        if (!text || plainText(text).length === 0) return;
        const at = o.at % text.length;
        const anchor = anchorIn(text, at, Math.min(text.length, at + o.len));
        review.edit(user, reviewClient, (doc) => createThread(doc, { kind: o.claim ? "claim" : "comment", anchor, by: user }));
        return;
      }
      default: {
        const id = pickThread(o.pick);
        if (!id) return;
        review.edit(user, reviewClient, (doc) => {
          const thread = readThreads(doc).find((t) => t.id === id);
          if (!thread) return;
          if (o.t === "dropThread") deleteThread(doc, id);
          else if (o.t === "resolve") setResolved(doc, id, { by: user, resolved: o.resolved });
          else if (o.t === "reply") addMessage(doc, id, { by: user, body: "Noted.", mentions: [] });
          else if (thread.kind === "claim" && o.t === "verdict") updateClaim(doc, id, { by: user, patch: { verdict: o.verdict } });
          else if (thread.kind === "claim" && o.t === "evidence")
            addEvidence(doc, id, { by: user, evidence: { url: "https://example.org/e", title: "E", publisher: "", stance: "context", note: "" } });
        });
      }
    }
  }

  it("holds for random edit sequences", () => {
    const seen = { body: 0, review: 0, reanchored: 0, unchanged: 0 };
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), fc.array(step, { maxLength: 14 }), fc.array(step, { maxLength: 8 }), (before, after, concurrent) => {
        const body = Room.body("Crime fell by 40 percent last year.\n\nMore than 16,000 fighters travelled.\n\nA closing line.");
        const review = Room.review();
        before.forEach((s) => run(body, review, s));
        const target = statesOf(body, review);
        after.forEach((s) => run(body, review, s));
        const current = statesOf(body, review);

        const restore = computeRestore(current, target);
        const restored = applyRestore(current, restore);
        seen.reanchored += expectRestored(restored, target).reanchored;
        if (restore.body) seen.body++;
        if (restore.review) seen.review++;
        if (!restore.body && !restore.review) seen.unchanged++;
        expect(computeRestore({ body: Y.encodeStateAsUpdate(restored.body), review: Y.encodeStateAsUpdate(restored.review) }, target)).toEqual({ body: null, review: null });

        // Someone keeps editing from `current` while the restore is applied: both orders converge.
        const otherBody = new Room(current.body);
        const otherReview = new Room(current.review);
        concurrent.forEach((s) => run(otherBody, otherReview, s));
        const edits = { body: otherBody.rows.slice(1).map((r) => r.update), review: otherReview.rows.slice(1).map((r) => r.update) };
        const restoreFirst = applyRestore(current, restore);
        edits.body.forEach((u) => Y.applyUpdate(restoreFirst.body, u));
        edits.review.forEach((u) => Y.applyUpdate(restoreFirst.review, u));
        const editsFirst = { body: loadDoc(otherBody.state()), review: loadDoc(otherReview.state()) };
        if (restore.body) Y.applyUpdate(editsFirst.body, restore.body);
        if (restore.review) Y.applyUpdate(editsFirst.review, restore.review);
        expect(docToPlainText(bodyToJson(restoreFirst.body))).toBe(docToPlainText(bodyToJson(editsFirst.body)));
        expect(byId(readThreads(restoreFirst.review))).toEqual(byId(readThreads(editsFirst.review)));
        // Yjs tidies formatting marks left redundant by remote updates with deletions of its own, which
        // replicas exchange like any update (until then bold may differ). Receiving the other's tidying
        // can call for more of it (seed 244217495: a concurrent bold and insertion), so the replicas
        // exchange until they agree, as they do live through the server; a few rounds always suffice.
        for (const room of ["body", "review"] as const) {
          const [x, y] = [restoreFirst[room], editsFirst[room]];
          for (let round = 0; round < 4 && !Y.equalSnapshots(Y.snapshot(x), Y.snapshot(y)); round++) {
            const [fromX, fromY] = [Y.encodeStateAsUpdate(x), Y.encodeStateAsUpdate(y)];
            Y.applyUpdate(x, fromY);
            Y.applyUpdate(y, fromX);
          }
          expect(Y.equalSnapshots(Y.snapshot(x), Y.snapshot(y))).toBe(true);
        }
        expect(bodyToJson(restoreFirst.body)).toEqual(bodyToJson(editsFirst.body));
      }),
      {
        numRuns: 150,
        // Found by seed 244217495: one tidying exchange between the replicas did not suffice.
        examples: [
          [
            [{ who: 0, op: { t: "newParagraph", p: 0, text: "" } }, { who: 0, op: { t: "newParagraph", p: 13, text: "" } }],
            [{ who: 0, op: { t: "newParagraph", p: 0, text: "" } }],
            [{ who: 0, op: { t: "bold", p: 1040725047, at: 0, len: 1 } }, { who: 0, op: { t: "type", p: 1320920277, at: 9736219, text: " " } }],
          ],
        ],
      },
    );
    // The runs exercised every outcome.
    expect(seen.body).toBeGreaterThan(0);
    expect(seen.review).toBeGreaterThan(0);
    expect(seen.reanchored).toBeGreaterThan(0);
    expect(seen.unchanged).toBeGreaterThan(0);
  });
});
