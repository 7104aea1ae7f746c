import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { bodyFragment, encodeBodySeed } from "../article-doc";
import type { ProseMirrorJson } from "../editor-extensions";
import { DEFAULT_VERDICT_SCALE } from "../verdict-scale";
import { encodePosition, quoteSelector, resolveAnchorText } from "./anchors";
import { readThreadRaw, readThreads, threadsMap } from "./layout";
import {
  addEvidence,
  addMessage,
  createThread,
  deleteMessage,
  deleteThread,
  editMessage,
  reanchor,
  removeEvidence,
  setResolved,
  updateClaim,
  updateEvidence,
  type ClaimFields,
} from "./operations";
import { CLAIM_STATES, STANCES, threadSchema, type Anchor, type Thread } from "./schema";
import { anchorIn, articleBody, paragraphText, reviewDoc, sampleAnchor } from "./review.test-helpers";

// Entity ids come from crypto.randomUUID(); a counter keeps runs reproducible (and ids unique).
let nextId = 0;
beforeAll(() => {
  vi.spyOn(globalThis.crypto, "randomUUID").mockImplementation(() => `id-${String(++nextId).padStart(10, "0")}` as ReturnType<Crypto["randomUUID"]>);
});
afterAll(() => {
  vi.restoreAllMocks();
});

const USERS = [
  "aaaaaaaa-0000-4000-8000-000000000001",
  "aaaaaaaa-0000-4000-8000-000000000002",
  "aaaaaaaa-0000-4000-8000-000000000003",
  "aaaaaaaa-0000-4000-8000-000000000004",
] as const;

const sortById = (threads: Thread[]) => [...threads].sort((a, b) => a.id.localeCompare(b.id));

describe("property: concurrent operations converge", () => {
  const text = fc.string({ maxLength: 12 }).map((s) => `m${s}`);
  const claimPatch: fc.Arbitrary<Partial<ClaimFields>> = fc.record(
    {
      claimant: fc.string({ maxLength: 10 }),
      appearedIn: fc.string({ maxLength: 10 }),
      appearedOn: fc.constantFrom("", "2024-01-31"),
      assigneeId: fc.constantFrom(null, ...USERS),
      state: fc.constantFrom(...CLAIM_STATES.filter((s) => s !== "approved")),
      verdict: fc.constantFrom(null, ...DEFAULT_VERDICT_SCALE.map((v) => v.key)),
      rationale: fc.string({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  );
  const evidence = fc.record({
    url: fc.constantFrom("https://example.org/a", "http://example.com/b?c=1", "https://www.unhcr.org/report.html"),
    title: fc.string({ maxLength: 10 }),
    publisher: fc.string({ maxLength: 10 }),
    stance: fc.constantFrom(...STANCES),
    note: fc.string({ maxLength: 10 }),
  });
  const op = fc.oneof(
    fc.record({ t: fc.constant("create" as const), claim: fc.boolean(), message: fc.option(text, { nil: undefined }), anchor: fc.nat(2) }),
    fc.record({ t: fc.constant("addMessage" as const), pick: fc.nat(), body: text }),
    fc.record({ t: fc.constant("editMessage" as const), pick: fc.nat(), body: text }),
    fc.record({ t: fc.constant("deleteMessage" as const), pick: fc.nat() }),
    fc.record({ t: fc.constant("setResolved" as const), pick: fc.nat(), resolved: fc.boolean() }),
    fc.record({ t: fc.constant("reanchor" as const), pick: fc.nat(), anchor: fc.nat(2) }),
    fc.record({ t: fc.constant("deleteThread" as const), pick: fc.nat() }),
    fc.record({ t: fc.constant("updateClaim" as const), pick: fc.nat(), patch: claimPatch }),
    fc.record({ t: fc.constant("addEvidence" as const), pick: fc.nat(), evidence }),
    fc.record({ t: fc.constant("updateEvidence" as const), pick: fc.nat(), patch: evidence }),
    fc.record({ t: fc.constant("removeEvidence" as const), pick: fc.nat() }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.record({ t: fc.constant("op" as const), client: fc.nat(3), op }) },
    // Deliver some of what `from` has written to `to`, in a shuffled order (possibly before what it depends on).
    { weight: 2, arbitrary: fc.record({ t: fc.constant("deliver" as const), from: fc.nat(3), to: fc.nat(3), picks: fc.array(fc.nat(), { maxLength: 6 }) }) },
  );

  /** What the clients did, to check that the merged result keeps everyone's work. */
  interface Ledger {
    threadsCreated: Set<string>;
    threadsDeleted: Set<string>;
    messages: Map<string, { threadId: string; body: string; deleted: boolean }>;
    evidenceAdded: Map<string, string>;
    evidenceRemoved: Set<string>;
  }

  function pickOf<T>(items: T[], n: number): T | undefined {
    return items.length ? items[n % items.length] : undefined;
  }

  function apply(doc: Y.Doc, me: string, o: Op, ledger: Ledger): void {
    const threads = sortById(readThreads(doc));
    const claims = threads.filter((t) => t.kind === "claim");
    switch (o.t) {
      case "create": {
        const id = createThread(doc, { kind: o.claim ? "claim" : "comment", anchor: sampleAnchor(o.anchor), by: me, message: o.message ? { body: o.message, mentions: [] } : undefined });
        ledger.threadsCreated.add(id);
        const thread = threadsMap(doc).get(id)!.get("messages") as Y.Map<{ body: string }>;
        for (const [messageId, m] of thread.entries()) ledger.messages.set(messageId, { threadId: id, body: m.body, deleted: false });
        return;
      }
      case "addMessage": {
        const t = pickOf(threads, o.pick);
        if (t) ledger.messages.set(addMessage(doc, t.id, { by: me, body: o.body, mentions: [me] }), { threadId: t.id, body: o.body, deleted: false });
        return;
      }
      case "editMessage":
      case "deleteMessage": {
        const own = threads.flatMap((t) => Object.values(t.messages).filter((m) => m.authorId === me).map((m) => [t.id, m.id] as const));
        const target = pickOf(own, o.pick);
        if (!target) return;
        if (o.t === "editMessage") {
          editMessage(doc, target[0], target[1], { body: o.body, mentions: [] });
          ledger.messages.get(target[1])!.body = o.body;
        } else {
          deleteMessage(doc, target[0], target[1]);
          ledger.messages.get(target[1])!.deleted = true;
        }
        return;
      }
      case "setResolved": {
        const t = pickOf(threads, o.pick);
        if (t) setResolved(doc, t.id, { by: me, resolved: o.resolved });
        return;
      }
      case "reanchor": {
        const t = pickOf(threads, o.pick);
        if (t) reanchor(doc, t.id, sampleAnchor(o.anchor));
        return;
      }
      case "deleteThread": {
        const t = pickOf(threads, o.pick);
        if (t) {
          deleteThread(doc, t.id);
          ledger.threadsDeleted.add(t.id);
        }
        return;
      }
      case "updateClaim": {
        const t = pickOf(claims, o.pick);
        if (t) updateClaim(doc, t.id, { by: me, patch: o.patch });
        return;
      }
      case "addEvidence": {
        const t = pickOf(claims, o.pick);
        if (t) ledger.evidenceAdded.set(addEvidence(doc, t.id, { by: me, evidence: o.evidence }), t.id);
        return;
      }
      case "updateEvidence":
      case "removeEvidence": {
        const items = claims.flatMap((t) => Object.keys(t.evidence ?? {}).map((e) => [t.id, e] as const));
        const target = pickOf(items, o.pick);
        if (!target) return;
        if (o.t === "updateEvidence") updateEvidence(doc, target[0], target[1], o.patch);
        else {
          removeEvidence(doc, target[0], target[1]);
          ledger.evidenceRemoved.add(target[1]);
        }
        return;
      }
    }
  }

  it("every client ends with the same valid threads, keeping everyone's work", () => {
    // The room as the server seeded it, with a comment and a claim already in it.
    const setup = reviewDoc();
    setup.clientID = 1000;
    const seeded = [
      createThread(setup, { kind: "comment", anchor: sampleAnchor(0), by: USERS[0], message: { body: "seed", mentions: [] } }),
      createThread(setup, { kind: "claim", anchor: sampleAnchor(1), by: USERS[0], message: { body: "seed claim", mentions: [] } }),
    ];
    const seedMessages = new Map([...readThreads(setup)].flatMap((t) => Object.values(t.messages).map((m) => [m.id, { threadId: t.id, body: m.body, deleted: false }] as const)));
    const seed = Y.encodeStateAsUpdate(setup);
    setup.destroy();

    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { maxLength: 3 }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
        (n, cut, steps, finalOrder) => {
          const ledger: Ledger = {
            threadsCreated: new Set(seeded),
            threadsDeleted: new Set(),
            messages: new Map([...seedMessages].map(([k, v]) => [k, { ...v }])),
            evidenceAdded: new Map(),
            evidenceRemoved: new Set(),
          };
          const clients = Array.from({ length: n }, (_, i) => {
            const doc = new Y.Doc();
            doc.clientID = i + 1;
            Y.applyUpdate(doc, seed, "remote");
            const log: Uint8Array[] = [];
            doc.on("update", (update: Uint8Array, origin: unknown) => {
              if (origin !== "remote") log.push(update);
            });
            return { doc, log, user: USERS[i]!, received: Array.from({ length: n }, () => new Set<number>()) };
          });
          // A network partition for the main phase: these pairs cannot talk until the end.
          const cutOff = new Set(cut.map(([a, b]) => `${Math.min(a % n, b % n)}-${Math.max(a % n, b % n)}`));
          const deliver = (from: number, to: number, index: number) => {
            const target = clients[to]!;
            if (from === to || target.received[from]!.has(index)) return;
            target.received[from]!.add(index);
            Y.applyUpdate(target.doc, clients[from]!.log[index]!, "remote");
          };

          for (const s of steps) {
            if (s.t === "op") {
              const c = clients[s.client % n]!;
              apply(c.doc, c.user, s.op, ledger);
            } else {
              const from = s.from % n;
              const to = s.to % n;
              if (cutOff.has(`${Math.min(from, to)}-${Math.max(from, to)}`)) continue;
              const log = clients[from]!.log;
              for (const p of s.picks) if (log.length) deliver(from, to, p % log.length);
            }
          }
          // The network heals: every client gets everything, each sender's updates in a scrambled order.
          clients.forEach((_, to) =>
            clients.forEach((from, f) => {
              const order = from.log.map((_, i) => i).sort((a, b) => ((a * 7 + finalOrder[(a + to) % 16]!) % 13) - ((b * 7 + finalOrder[(b + f) % 16]!) % 13) || a - b);
              for (const i of order) deliver(f, to, i);
            }),
          );

          const reference = clients[0]!.doc;
          const expected = sortById(readThreads(reference));
          for (const { doc } of clients) {
            expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(reference));
            expect(sortById(readThreads(doc))).toEqual(expected);
            expect(threadsMap(doc).toJSON()).toEqual(threadsMap(reference).toJSON());
            // Every thread is well formed: none is dropped by readThreads for failing the schema.
            expect(readThreads(doc)).toHaveLength(threadsMap(doc).size);
            for (const [id, map] of threadsMap(doc).entries()) {
              const parsed = threadSchema.safeParse(readThreadRaw(map));
              expect(parsed.success, `thread ${id}: ${parsed.error?.message}`).toBe(true);
              expect(parsed.data!.id).toBe(id);
            }
          }
          // Nothing was lost or resurrected: the threads are those created and not deleted…
          const expectedIds = [...ledger.threadsCreated].filter((id) => !ledger.threadsDeleted.has(id)).sort();
          expect(expected.map((t) => t.id)).toEqual(expectedIds);
          // …each with exactly its messages that were not deleted, as their author last wrote them…
          for (const t of expected) {
            const mine = [...ledger.messages].filter(([, m]) => m.threadId === t.id && !m.deleted);
            // (Bodies read back trimmed, as the schema stores them.)
            expect(Object.fromEntries(Object.values(t.messages).map((m) => [m.id, m.body]))).toEqual(Object.fromEntries(mine.map(([id, m]) => [id, m.body.trim()])));
          }
          // …and evidence nobody removed is still there (an edit racing a removal may keep removed evidence).
          for (const t of expected) {
            for (const id of Object.keys(t.evidence ?? {})) expect(ledger.evidenceAdded.get(id)).toBe(t.id);
            for (const [id, threadId] of ledger.evidenceAdded) {
              if (threadId === t.id && !ledger.evidenceRemoved.has(id)) expect(t.evidence).toHaveProperty([id]);
            }
          }
          clients.forEach((c) => c.doc.destroy());
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe("property: every anchor resolves to its text or to the orphan state", () => {
  interface Token {
    ch: string;
    /** Original characters are numbered; inserted ones are -1. */
    id: number;
  }
  interface Para {
    xml: Y.XmlText;
    tokens: Token[];
  }
  interface TrackedAnchor {
    anchor: Anchor;
    tokenIds: number[];
  }

  const segment = fc.record({ text: fc.string({ minLength: 1, maxLength: 14 }), bold: fc.boolean() });
  const article = fc.array(fc.array(segment, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 });
  const edit = fc.oneof(
    { weight: 4, arbitrary: fc.record({ t: fc.constant("insert" as const), p: fc.nat(), pos: fc.nat(), text: fc.string({ minLength: 1, maxLength: 5 }) }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant("delete" as const), p: fc.nat(), pos: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("deleteAnchored" as const), a: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("deleteParagraph" as const), p: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("insertParagraph" as const), p: fc.nat(), text: fc.string({ minLength: 1, maxLength: 8 }) }) },
  );

  /** The article text as the anchors see it: each paragraph's text followed by a newline. */
  function modelText(paras: Para[]): { text: string; offsets: Map<Token, number> } {
    const offsets = new Map<Token, number>();
    let text = "";
    for (const p of paras) {
      for (const t of p.tokens) {
        offsets.set(t, text.length);
        text += t.ch;
      }
      text += "\n";
    }
    return { text, offsets };
  }

  const docText = docTextOf;
  function docTextOf(doc: Y.Doc): string {
    return bodyFragment(doc)
      .toArray()
      .map((p) => (p as Y.XmlElement).toArray().map((t) => ((t as Y.XmlText).toDelta() as { insert: string }[]).map((d) => d.insert).join("")).join("") + "\n")
      .join("");
  }

  const stats = { untouched: 0, orphaned: 0, partialText: 0, partialOrphan: 0 };

  it("after random edits to the body", () => {
    fc.assert(
      fc.property(article, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), fc.array(edit, { maxLength: 12 }), (paragraphs, ranges, edits) => {
        const content: ProseMirrorJson = {
          type: "doc",
          content: paragraphs.map((segments) => ({
            type: "paragraph",
            content: segments.map((s) => ({ type: "text", text: s.text, ...(s.bold ? { marks: [{ type: "bold" }] } : {}) })),
          })),
        };
        const doc = new Y.Doc();
        Y.applyUpdate(doc, encodeBodySeed(content));
        let nextToken = 0;
        const paras: Para[] = paragraphs.map((segments, i) => ({
          xml: paragraphText(doc, i),
          tokens: segments
            .map((s) => s.text)
            .join("")
            .split("")
            .map((ch) => ({ ch, id: nextToken++ })),
        }));
        expect(docText(doc)).toBe(modelText(paras).text);

        // Anchors on random ranges within paragraphs.
        const anchors: TrackedAnchor[] = ranges.map(([p, a, b]) => {
          const para = paras[p % paras.length]!;
          const len = para.tokens.length;
          const from = Math.min(a % len, b % len);
          const to = Math.max(a % len, b % len) + 1;
          const anchor = anchorIn(para.xml, from, to);
          const { text, offsets } = modelText(paras);
          const start = offsets.get(para.tokens[from]!)!;
          // Freshly made, each anchor covers exactly its quote.
          expect(anchor.quote).toEqual(quoteSelector(para.tokens.map((t) => t.ch).join(""), from, to));
          expect(resolveAnchorText(doc, anchor)).toEqual({ from: start, to: start + (to - from), text: text.slice(start, start + to - from) });
          expect(text.slice(start, start + to - from)).toBe(anchor.quote.exact);
          return { anchor, tokenIds: para.tokens.slice(from, to).map((t) => t.id) };
        });

        for (const e of edits) {
          if (e.t === "insert" || e.t === "delete") {
            if (!paras.length) continue;
            const para = paras[e.p % paras.length]!;
            const pos = e.pos % (para.tokens.length + 1);
            if (e.t === "insert") {
              para.xml.insert(pos, e.text);
              para.tokens.splice(pos, 0, ...e.text.split("").map((ch) => ({ ch, id: -1 })));
            } else {
              const len = Math.min(e.len, para.tokens.length - pos);
              if (len <= 0) continue;
              para.xml.delete(pos, len);
              para.tokens.splice(pos, len);
            }
          } else if (e.t === "deleteAnchored") {
            // Delete the whole span an anchor covers now (with whatever was typed inside it).
            const { tokenIds } = anchors[e.a % anchors.length]!;
            const para = paras.find((p) => p.tokens.some((t) => tokenIds.includes(t.id)));
            if (!para) continue;
            const first = para.tokens.findIndex((t) => tokenIds.includes(t.id));
            const last = para.tokens.findLastIndex((t) => tokenIds.includes(t.id));
            para.xml.delete(first, last - first + 1);
            para.tokens.splice(first, last - first + 1);
          } else if (e.t === "deleteParagraph") {
            if (!paras.length) continue;
            const index = e.p % paras.length;
            bodyFragment(doc).delete(index, 1);
            paras.splice(index, 1);
          } else {
            const index = e.p % (paras.length + 1);
            const element = new Y.XmlElement("paragraph");
            const xml = new Y.XmlText();
            doc.transact(() => {
              bodyFragment(doc).insert(index, [element]);
              element.insert(0, [xml]);
              xml.insert(0, e.text);
            });
            paras.splice(index, 0, { xml, tokens: e.text.split("").map((ch) => ({ ch, id: -1 })) });
          }
        }

        const { text, offsets } = modelText(paras);
        expect(docText(doc)).toBe(text);
        const byOffset = new Map([...offsets].map(([token, offset]) => [offset, token]));
        for (const { anchor, tokenIds } of anchors) {
          const resolved = resolveAnchorText(doc, anchor);
          const surviving = paras.map((p) => p.tokens).find((tokens) => tokens.some((t) => tokenIds.includes(t.id)));
          if (!surviving) {
            // All of the anchored text is gone: an orphan, never moved to other text.
            expect(resolved).toBeNull();
            stats.orphaned++;
            continue;
          }
          const first = surviving.findIndex((t) => t.id === tokenIds[0]);
          const last = surviving.findIndex((t) => t.id === tokenIds[tokenIds.length - 1]);
          const untouched = first >= 0 && last - first + 1 === tokenIds.length && surviving.slice(first, last + 1).every((t, i) => t.id === tokenIds[i]);
          if (untouched) {
            const from = offsets.get(surviving[first]!)!;
            expect(resolved).toEqual({ from, to: from + tokenIds.length, text: anchor.quote.exact });
            stats.untouched++;
          } else if (resolved === null) {
            stats.partialOrphan++;
          } else {
            // Partly edited: whatever it covers is what is left of its text, or text typed into it.
            expect(resolved.to).toBeGreaterThan(resolved.from);
            expect(resolved.text).toBe(text.slice(resolved.from, resolved.to));
            for (let o = resolved.from; o < resolved.to; o++) {
              const token = byOffset.get(o);
              expect(token, `offset ${o} is a paragraph break`).toBeDefined();
              expect(token!.id === -1 || tokenIds.includes(token!.id), `"${token!.ch}" at ${o} is not the anchor's text`).toBe(true);
            }
            stats.partialText++;
          }
        }
        doc.destroy();
      }),
      { numRuns: 250 },
    );
    // The runs exercised every outcome.
    expect(stats.untouched).toBeGreaterThan(0);
    expect(stats.orphaned).toBeGreaterThan(0);
    expect(stats.partialText).toBeGreaterThan(0);
  });

  it("an anchor on text typed at its edges keeps its quote; one whose paragraph is deleted is an orphan", () => {
    const doc = articleBody(["Unemployment fell by 40 percent.", "Second paragraph."]);
    const first = paragraphText(doc, 0);
    const anchor = anchorIn(first, 13, 29); // "fell by 40 perce"
    expect(resolveAnchorText(doc, anchor)?.text).toBe("fell by 40 perce");
    first.insert(29, "XX");
    first.insert(13, "YY");
    expect(resolveAnchorText(doc, anchor)).toEqual({ from: 15, to: 31, text: "fell by 40 perce" });
    bodyFragment(doc).delete(0, 1);
    expect(resolveAnchorText(doc, anchor)).toBeNull();
  });

  it("a passage across a formatting boundary, deleted and typed over, is an orphan", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      encodeBodySeed({
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "Crime rose " }, { type: "text", text: "by 40 percent", marks: [{ type: "bold" }] }, { type: "text", text: " last year." }] }],
      }),
    );
    const text = paragraphText(doc, 0);
    // "rose by 40": it ends inside the bold run.
    const anchor = anchorIn(text, 6, 16);
    expect(resolveAnchorText(doc, anchor)).toEqual({ from: 6, to: 16, text: "rose by 40" });
    // Selected and typed over: deleted, then new text typed where it was.
    text.delete(6, 10);
    text.insert(6, "fell by");
    expect(docTextOf(doc)).toBe("Crime fell by percent last year.\n");
    // The new words are not the passage the thread was about.
    expect(resolveAnchorText(doc, anchor)).toBeNull();
  });

  it("an anchor made with other position conventions also collapses to an orphan when its text is deleted", () => {
    const doc = articleBody(["Unemployment fell by 40 percent.", "Second paragraph."]);
    const text = paragraphText(doc, 0);
    // Both ends sticking to the character after them (assoc 0), as Yjs makes them by default…
    const after = { start: encodePosition(Y.createRelativePositionFromTypeIndex(text, 13)), end: encodePosition(Y.createRelativePositionFromTypeIndex(text, 23)) };
    // …and both sticking to the character before them (assoc -1), as the editor binding makes them.
    const before = { start: encodePosition(Y.createRelativePositionFromTypeIndex(text, 13, -1)), end: encodePosition(Y.createRelativePositionFromTypeIndex(text, 23, -1)) };
    expect(resolveAnchorText(doc, after)).toEqual({ from: 13, to: 23, text: "fell by 40" });
    expect(resolveAnchorText(doc, before)).toEqual({ from: 13, to: 23, text: "fell by 40" });
    text.delete(13, 10);
    expect(resolveAnchorText(doc, after)).toBeNull();
    expect(resolveAnchorText(doc, before)).toBeNull();
  });

  it("an anchor whose stored positions point nowhere is an orphan rather than an error", () => {
    const doc = articleBody();
    const anchor = anchorIn(paragraphText(doc, 0), 4, 12);
    expect(resolveAnchorText(doc, anchor)?.text).toBe("minister");
    expect(resolveAnchorText(doc, { ...anchor, end: "BA==" })).toBeNull();
    expect(resolveAnchorText(doc, { ...anchor, start: "not base64!" })).toBeNull();
    // A position into a document it was not made for does not resolve either.
    expect(resolveAnchorText(articleBody(), anchorIn(paragraphText(articleBody(), 0), 0, 5))).toBeNull();
  });
});
