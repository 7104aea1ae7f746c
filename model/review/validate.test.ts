import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ROLES, type Role } from "../roles";
import { DEFAULT_VERDICT_SCALE, type VerdictScale } from "../verdict-scale";
import { readThreads, threadsMap } from "./layout";
import {
  addEvidence,
  addMessage,
  createThread,
  deleteMessage,
  deleteThread,
  editMessage,
  reanchor,
  removeEvidence,
  setClaimState,
  setResolved,
  updateClaim,
  updateEvidence,
  type EvidenceInput,
} from "./operations";
import { REVIEW_LIMITS } from "./schema";
import { USER, actorAs, reviewDoc, sampleAnchor, validateLocalChange } from "./review.test-helpers";

const ME = USER.me;
const OTHER = USER.other;

const EVIDENCE: EvidenceInput = {
  url: "https://www.unhcr.org/report.html",
  title: "Annual report",
  publisher: "UNHCR",
  stance: "supports",
  note: "Table 3",
};

/**
 * The desk every scenario starts from. "me" is the actor under test (whatever their role now: a viewer
 * may have been a commenter when they wrote something); "other" is a checker who did the rest.
 */
function desk() {
  const doc = reviewDoc();
  const othersComment = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: OTHER, message: { body: "Is this right?", mentions: [] } });
  const otherMessageId = [...(threadsMap(doc).get(othersComment)!.get("messages") as Y.Map<unknown>).keys()][0]!;
  const myReply = addMessage(doc, othersComment, { by: ME, body: "I think so.", mentions: [OTHER] });

  const resolvedComment = createThread(doc, { kind: "comment", anchor: sampleAnchor(1), by: OTHER, message: { body: "Typo here", mentions: [] } });
  setResolved(doc, resolvedComment, { by: OTHER, resolved: true });

  const othersClaim = createThread(doc, {
    kind: "claim",
    anchor: sampleAnchor(1),
    by: OTHER,
    message: { body: "Check the number", mentions: [] },
    claim: { claimant: "The minister" },
  });
  const othersEvidence = addEvidence(doc, othersClaim, { by: OTHER, evidence: EVIDENCE });
  const myEvidence = addEvidence(doc, othersClaim, { by: ME, evidence: { ...EVIDENCE, stance: "context", url: "https://example.org/" } });

  const ownComment = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME, message: { body: "Source?", mentions: [] } });
  const ownJoined = createThread(doc, { kind: "comment", anchor: sampleAnchor(2), by: ME, message: { body: "Hmm", mentions: [] } });
  addMessage(doc, ownJoined, { by: OTHER, body: "Agreed", mentions: [] });
  const ownClaim = createThread(doc, { kind: "claim", anchor: sampleAnchor(2), by: ME, message: { body: "Flagging", mentions: [] } });

  return { doc, othersComment, otherMessageId, myReply, resolvedComment, othersClaim, othersEvidence, myEvidence, ownComment, ownJoined, ownClaim };
}
type Desk = ReturnType<typeof desk>;

/** The Y.Map of a thread, or of one of its nested maps. */
function threadMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  return threadsMap(doc).get(id)!;
}
function nestedMap(doc: Y.Doc, id: string, key: "messages" | "claim" | "evidence"): Y.Map<unknown> {
  return threadMap(doc, id).get(key) as Y.Map<unknown>;
}

/** Runs a change from a fresh desk as `actor` and returns the validator's answer. */
function attempt(actor: { role: Role; userId?: string }, change: (doc: Y.Doc, d: Desk) => void, scale?: VerdictScale) {
  const d = desk();
  return validateLocalChange(d.doc, actorAs(actor.role, actor.userId), (doc) => change(doc, d), scale);
}

const Y_ = true;
const N_ = false;
type Row = [viewer: boolean, commenter: boolean, checker: boolean, editor: boolean, owner: boolean];

// The intended policy, written out by hand (issue 4, "Who may do what"): a viewer reads only; a commenter
// creates comment threads and writes messages; a checker also works on claims (verdict, rationale,
// assignee, state, evidence); an editor or owner also deletes others' threads. Nobody edits or deletes
// another person's messages, and nobody sets "approved" by hand.
const POLICY: Record<string, { expected: Row; change: (doc: Y.Doc, d: Desk) => void }> = {
  "create a comment thread with a first message": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc) => void createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME, message: { body: "Why?", mentions: [OTHER] } }),
  },
  "create a comment thread without a message": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc) => void createThread(doc, { kind: "comment", anchor: sampleAnchor(1), by: ME }),
  },
  "flag a claim": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc) => void createThread(doc, { kind: "claim", anchor: sampleAnchor(1), by: ME, message: { body: "Check", mentions: [] }, claim: { claimant: "Minister" } }),
  },
  "flag a claim with a verdict already set": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc) => void createThread(doc, { kind: "claim", anchor: sampleAnchor(1), by: ME, claim: { verdict: "mixed", state: "researching" } }),
  },
  "reply in another's comment thread": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => void addMessage(doc, d.othersComment, { by: ME, body: "Reply", mentions: [] }),
  },
  "reply in a claim thread": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => void addMessage(doc, d.othersClaim, { by: ME, body: "I have a source", mentions: [OTHER] }),
  },
  "edit own message": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => editMessage(doc, d.othersComment, d.myReply, { body: "I think so, yes.", mentions: [] }),
  },
  "edit another's message": {
    expected: [N_, N_, N_, N_, N_],
    change: (doc, d) => editMessage(doc, d.othersComment, d.otherMessageId, { body: "Rewritten", mentions: [] }),
  },
  "delete own message": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => deleteMessage(doc, d.othersComment, d.myReply),
  },
  "delete another's message": {
    expected: [N_, N_, N_, N_, N_],
    change: (doc, d) => deleteMessage(doc, d.othersComment, d.otherMessageId),
  },
  "resolve a comment thread": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => setResolved(doc, d.othersComment, { by: ME, resolved: true }),
  },
  "reopen a resolved comment thread": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => setResolved(doc, d.resolvedComment, { by: ME, resolved: false }),
  },
  "resolve a claim thread": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => setResolved(doc, d.othersClaim, { by: ME, resolved: true }),
  },
  "set a verdict": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "mostly-true" } }),
  },
  "change the rationale": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { rationale: "The figure comes from the 2015 UN report." } }),
  },
  "change the assignee": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { assigneeId: USER.third } }),
  },
  "change the state to researching": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => setClaimState(doc, d.othersClaim, { by: ME, state: "researching" }),
  },
  "change the state to in review": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => setClaimState(doc, d.othersClaim, { by: ME, state: "in_review" }),
  },
  "change the claimant and where and when it appeared": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { claimant: "The prime minister", appearedIn: "BBC interview", appearedOn: "2024-03-01" } }),
  },
  "set the state to approved by hand": {
    expected: [N_, N_, N_, N_, N_],
    change: (doc, d) => setClaimState(doc, d.othersClaim, { by: ME, state: "approved" }),
  },
  "add evidence": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, stance: "refutes" } }),
  },
  "change own evidence": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => updateEvidence(doc, d.othersClaim, d.myEvidence, { stance: "refutes", note: "Page 12 says otherwise" }),
  },
  "remove own evidence": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => removeEvidence(doc, d.othersClaim, d.myEvidence),
  },
  "re-anchor own thread": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => reanchor(doc, d.ownComment, sampleAnchor(2)),
  },
  "re-anchor another's thread": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => reanchor(doc, d.othersComment, sampleAnchor(2)),
  },
  "delete own comment thread nobody else took part in": {
    expected: [N_, Y_, Y_, Y_, Y_],
    change: (doc, d) => deleteThread(doc, d.ownComment),
  },
  "delete own claim thread nobody else took part in": {
    expected: [N_, N_, Y_, Y_, Y_],
    change: (doc, d) => deleteThread(doc, d.ownClaim),
  },
  "delete own thread that someone else replied in": {
    expected: [N_, N_, N_, Y_, Y_],
    change: (doc, d) => deleteThread(doc, d.ownJoined),
  },
  "delete another's comment thread": {
    expected: [N_, N_, N_, Y_, Y_],
    change: (doc, d) => deleteThread(doc, d.othersComment),
  },
  "delete another's claim thread": {
    expected: [N_, N_, N_, Y_, Y_],
    change: (doc, d) => deleteThread(doc, d.othersClaim),
  },
};

const ROLE_COLUMNS = ["viewer", "commenter", "checker", "editor", "owner"] as const satisfies readonly Role[];

describe("validateThreadChange: every role against every kind of change", () => {
  it("the table has a column for each role", () => {
    expect([...ROLES]).toEqual([...ROLE_COLUMNS]);
  });

  it("the desk fixture itself is well formed", () => {
    // Every scenario starts from threads that read back as valid, so a refusal below is the change's.
    const d = desk();
    expect(threadsMap(d.doc).size).toBe(6);
    expect(readThreads(d.doc)).toHaveLength(6);
  });

  const cells = Object.entries(POLICY).flatMap(([name, { expected, change }]) => ROLE_COLUMNS.map((role, i) => [name, role, expected[i], change] as const));
  it.each(cells)("%s as %s → allowed: %s", (_name, role, allowed, change) => {
    const verdict = attempt({ role }, change);
    expect(verdict.ok).toBe(allowed);
    if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(0);
  });
});

describe("validateThreadChange: author fields must be the actor", () => {
  const now = () => new Date().toISOString();

  it.each<[string, Role, (doc: Y.Doc, d: Desk) => void]>([
    ["a thread started under someone else's name", "checker", (doc) => void createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: OTHER })],
    ["a claim flagged under someone else's name", "editor", (doc) => void createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: OTHER })],
    ["a message written under someone else's name", "owner", (doc, d) => void addMessage(doc, d.othersComment, { by: OTHER, body: "Me, honest", mentions: [] })],
    [
      "a new thread whose first message is someone else's",
      "checker",
      (doc) => {
        doc.transact(() => {
          const id = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME });
          nestedMap(doc, id, "messages").set("msg-00000001", { id: "msg-00000001", authorId: OTHER, body: "hi", mentions: [], createdAt: now(), editedAt: null });
        });
      },
    ],
    [
      "own message re-attributed to someone else",
      "checker",
      (doc, d) => {
        const messages = nestedMap(doc, d.othersComment, "messages");
        messages.set(d.myReply, { ...(messages.get(d.myReply) as object), authorId: OTHER });
      },
    ],
    ["a claim change made under someone else's name (updatedBy)", "checker", (doc, d) => updateClaim(doc, d.othersClaim, { by: USER.third, patch: { rationale: "Because." } })],
    ["a change to own claim made under someone else's name (updatedBy)", "checker", (doc, d) => updateClaim(doc, d.ownClaim, { by: OTHER, patch: { rationale: "Because." } })],
    ["a verdict set under someone else's name (updatedBy and verdictBy)", "editor", (doc, d) => updateClaim(doc, d.othersClaim, { by: OTHER, patch: { verdict: "false" } })],
    [
      "a verdict set under someone else's name (verdictBy only)",
      "checker",
      (doc, d) => {
        const claim = nestedMap(doc, d.othersClaim, "claim");
        doc.transact(() => {
          claim.set("verdict", "false");
          claim.set("verdictBy", OTHER);
          claim.set("verdictAt", now());
          claim.set("updatedBy", ME);
          claim.set("updatedAt", now());
        });
      },
    ],
    ["a flagged claim whose verdict is attributed to someone else", "checker", (doc) => {
      doc.transact(() => {
        const id = createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: ME, claim: { verdict: "true" } });
        nestedMap(doc, id, "claim").set("verdictBy", OTHER);
      });
    }],
    ["evidence added under someone else's name", "checker", (doc, d) => void addEvidence(doc, d.othersClaim, { by: OTHER, evidence: EVIDENCE })],
    [
      "own evidence re-attributed to someone else",
      "checker",
      (doc, d) => {
        const evidence = nestedMap(doc, d.othersClaim, "evidence");
        evidence.set(d.myEvidence, { ...(evidence.get(d.myEvidence) as object), addedBy: OTHER });
      },
    ],
    ["a thread resolved under someone else's name", "commenter", (doc, d) => setResolved(doc, d.othersComment, { by: OTHER, resolved: true })],
    [
      "a new thread that claims someone else resolved it",
      "commenter",
      (doc) => {
        doc.transact(() => {
          const id = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME });
          threadMap(doc, id).set("resolved", true);
          threadMap(doc, id).set("resolvedBy", OTHER);
          threadMap(doc, id).set("resolvedAt", now());
        });
      },
    ],
    [
      "a new, unresolved thread that names someone else as its resolver",
      "commenter",
      (doc) => {
        doc.transact(() => {
          const id = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME });
          threadMap(doc, id).set("resolvedBy", OTHER);
        });
      },
    ],
  ])("refuses %s (%s)", (_name, role, change) => {
    expect(attempt({ role }, change).ok).toBe(false);
  });

  it("refuses a verdict cleared under someone else's name", () => {
    const d = desk();
    updateClaim(d.doc, d.othersClaim, { by: OTHER, patch: { verdict: "true" } });
    const claim = nestedMap(d.doc, d.othersClaim, "claim");
    const spoofed = validateLocalChange(d.doc, actorAs("checker"), (doc) =>
      doc.transact(() => {
        claim.set("verdict", null);
        claim.set("verdictBy", USER.third);
        claim.set("verdictAt", now());
        claim.set("updatedBy", ME);
        claim.set("updatedAt", now());
      }),
    );
    expect(spoofed.ok).toBe(false);
    // The honest way to clear it is accepted.
    const d2 = desk();
    updateClaim(d2.doc, d2.othersClaim, { by: OTHER, patch: { verdict: "true" } });
    expect(validateLocalChange(d2.doc, actorAs("checker"), (doc) => updateClaim(doc, d2.othersClaim, { by: ME, patch: { verdict: null } })).ok).toBe(true);
  });

  it("refuses changing someone else's verdict while leaving their name on it", () => {
    const d = desk();
    updateClaim(d.doc, d.othersClaim, { by: OTHER, patch: { verdict: "true" } });
    const claim = nestedMap(d.doc, d.othersClaim, "claim");
    const verdict = validateLocalChange(d.doc, actorAs("editor"), (doc) =>
      doc.transact(() => {
        claim.set("verdict", "false");
        claim.set("updatedBy", ME);
        claim.set("updatedAt", now());
      }),
    );
    expect(verdict.ok).toBe(false);
  });

  it("accepts a claim change whose merged updatedBy still names the previous person", () => {
    // What a concurrent merge produces (see the guard's test): the field changed, the name did not.
    expect(
      attempt({ role: "checker" }, (doc, d) => {
        const claim = nestedMap(doc, d.othersClaim, "claim");
        doc.transact(() => claim.set("rationale", "Both edited at once"));
        expect(claim.get("updatedBy")).toBe(OTHER);
      }).ok,
    ).toBe(true);
  });

  it("accepts the same changes made under one's own name", () => {
    expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "false" } })).ok).toBe(true);
    expect(attempt({ role: "checker" }, (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: EVIDENCE })).ok).toBe(true);
    expect(attempt({ role: "commenter" }, (doc, d) => setResolved(doc, d.othersComment, { by: ME, resolved: true })).ok).toBe(true);
  });

  it("judges each actor by their own id: the same change by 'other' as themselves is accepted", () => {
    expect(attempt({ role: "checker", userId: OTHER }, (doc, d) => updateClaim(doc, d.othersClaim, { by: OTHER, patch: { rationale: "Because." } })).ok).toBe(true);
    // …and "me" may not touch other's message even though "other" may.
    expect(attempt({ role: "checker", userId: OTHER }, (doc, d) => editMessage(doc, d.othersComment, d.otherMessageId, { body: "Fixed", mentions: [] })).ok).toBe(true);
    expect(attempt({ role: "checker", userId: OTHER }, (doc, d) => editMessage(doc, d.othersComment, d.myReply, { body: "Fixed", mentions: [] })).ok).toBe(false);
  });
});

describe("validateThreadChange: evidence URLs", () => {
  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "//example.org/no-scheme",
    "example.org",
    "https://",
  ])("refuses %s when adding evidence", (url) => {
    expect(attempt({ role: "checker" }, (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, url } })).ok).toBe(false);
  });

  it.each(["javascript:alert(1)", "data:text/plain,hi"])("refuses changing evidence to %s", (url) => {
    expect(attempt({ role: "owner" }, (doc, d) => updateEvidence(doc, d.othersClaim, d.myEvidence, { url })).ok).toBe(false);
  });

  it.each(["https://www.example.org/a/b?c=d#e", "http://example.org", "HTTPS://EXAMPLE.ORG/X"])("accepts %s", (url) => {
    expect(attempt({ role: "checker" }, (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, url } })).ok).toBe(true);
  });
});

describe("validateThreadChange: length limits", () => {
  const L = REVIEW_LIMITS;
  it("a message of the maximum length is accepted, one character more is refused", () => {
    expect(L.messageChars).toBe(5_000);
    const add = (body: string) => attempt({ role: "commenter" }, (doc, d) => void addMessage(doc, d.othersComment, { by: ME, body, mentions: [] })).ok;
    expect(add("x".repeat(5_000))).toBe(true);
    expect(add("x".repeat(5_001))).toBe(false);
  });

  it("an empty or blank message is refused", () => {
    const add = (body: string) => attempt({ role: "commenter" }, (doc, d) => void addMessage(doc, d.othersComment, { by: ME, body, mentions: [] })).ok;
    expect(add("")).toBe(false);
    expect(add("   \n\t")).toBe(false);
  });

  it("editing own message to an over-long text is refused", () => {
    expect(attempt({ role: "commenter" }, (doc, d) => editMessage(doc, d.othersComment, d.myReply, { body: "y".repeat(5_001), mentions: [] })).ok).toBe(false);
  });

  it("a first message over the limit makes thread creation fail", () => {
    expect(attempt({ role: "commenter" }, (doc) => void createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME, message: { body: "z".repeat(5_001), mentions: [] } })).ok).toBe(false);
  });

  it("a rationale of 10,000 characters is accepted, 10,001 refused", () => {
    const set = (rationale: string) => attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { rationale } })).ok;
    expect(set("r".repeat(10_000))).toBe(true);
    expect(set("r".repeat(10_001))).toBe(false);
  });

  it("an evidence title of 300 characters is accepted, 301 refused", () => {
    const add = (title: string) => attempt({ role: "checker" }, (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, title } })).ok;
    expect(add("t".repeat(300))).toBe(true);
    expect(add("t".repeat(301))).toBe(false);
  });

  it.each<[string, (doc: Y.Doc, d: Desk) => void]>([
    ["claimant", (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { claimant: "c".repeat(201) } })],
    ["where it appeared", (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { appearedIn: "a".repeat(301) } })],
    ["evidence publisher", (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, publisher: "p".repeat(201) } })],
    ["evidence note", (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, note: "n".repeat(2_001) } })],
    ["evidence URL", (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, url: `https://example.org/${"u".repeat(2_000)}` } })],
    [
      "anchor quote",
      (doc) => void createThread(doc, { kind: "comment", anchor: { ...sampleAnchor(0), quote: { exact: "q".repeat(2_001), prefix: "", suffix: "" } }, by: ME }),
    ],
    [
      "anchor quote prefix",
      (doc) => void createThread(doc, { kind: "comment", anchor: { ...sampleAnchor(0), quote: { exact: "q", prefix: "p".repeat(33), suffix: "" } }, by: ME }),
    ],
    ["mentions", (doc, d) => void addMessage(doc, d.othersComment, { by: ME, body: "all of you", mentions: Array.from({ length: 51 }, () => OTHER) })],
    ["verdict key", (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "v".repeat(41) } })],
  ])("an over-long %s is refused", (_name, change) => {
    expect(attempt({ role: "owner" }, change).ok).toBe(false);
  });
});

describe("validateThreadChange: unknown keys and wrong types", () => {
  const now = () => new Date().toISOString();

  it.each<[string, Role, (doc: Y.Doc, d: Desk) => void]>([
    ["an unknown key on a thread", "commenter", (doc, d) => threadMap(doc, d.ownComment).set("pinned", true)],
    ["an unknown key on a new thread", "commenter", (doc) => doc.transact(() => threadMap(doc, createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME })).set("html", "<b>x</b>"))],
    [
      "an unknown key in a message",
      "commenter",
      (doc, d) => nestedMap(doc, d.othersComment, "messages").set("msg-00000002", { id: "msg-00000002", authorId: ME, body: "hi", mentions: [], createdAt: now(), editedAt: null, html: "<script>" }),
    ],
    ["an unknown key in a claim", "editor", (doc, d) => nestedMap(doc, d.othersClaim, "claim").set("approvedBy", ME)],
    [
      "an unknown key in evidence",
      "checker",
      (doc, d) => nestedMap(doc, d.othersClaim, "evidence").set("evi-00000001", { id: "evi-00000001", ...EVIDENCE, addedBy: ME, addedAt: now(), score: 10 }),
    ],
    ["an unknown key in an anchor", "commenter", (doc, d) => reanchor(doc, d.ownComment, { ...sampleAnchor(1), color: "red" } as never)],
    ["an unknown key in a quote", "commenter", (doc, d) => reanchor(doc, d.ownComment, { ...sampleAnchor(1), quote: { exact: "x", prefix: "", suffix: "", extra: 1 } } as never)],
    ["claim fields on a comment thread", "checker", (doc, d) => threadMap(doc, d.ownComment).set("claim", new Y.Map())],
    ["a message stored under another id than its own", "commenter", (doc, d) => nestedMap(doc, d.othersComment, "messages").set("msg-00000003", { id: "msg-00000004", authorId: ME, body: "hi", mentions: [], createdAt: now(), editedAt: null })],
    ["a message with an id that is not URL-safe", "commenter", (doc, d) => nestedMap(doc, d.othersComment, "messages").set("<img src=x>", { id: "<img src=x>", authorId: ME, body: "hi", mentions: [], createdAt: now(), editedAt: null })],
    ["a mention that is not a user id", "commenter", (doc, d) => void addMessage(doc, d.othersComment, { by: ME, body: "hi", mentions: ["everyone"] })],
    ["an unknown evidence stance", "checker", (doc, d) => void addEvidence(doc, d.othersClaim, { by: ME, evidence: { ...EVIDENCE, stance: "maybe" as never } })],
    ["an unknown claim state", "checker", (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { state: "done" as never } })],
    ["an anchor whose positions do not decode", "commenter", (doc, d) => reanchor(doc, d.ownComment, { ...sampleAnchor(1), start: "/w==" })],
    ["an anchor whose start is not base64", "commenter", (doc, d) => reanchor(doc, d.ownComment, { ...sampleAnchor(1), start: "not base64!" })],
    // Decodes as a relative position, but one that names no item, type or root: it points nowhere.
    ["an anchor whose end points nowhere", "commenter", (doc, d) => reanchor(doc, d.ownComment, { ...sampleAnchor(1), end: "BA==" })],
  ])("refuses %s", (_name, role, change) => {
    expect(attempt({ role }, change).ok).toBe(false);
  });

  it.each<[string, Role, (doc: Y.Doc, d: Desk) => void]>([
    ["messages as a Y.Array", "commenter", (doc, d) => threadMap(doc, d.ownComment).set("messages", new Y.Array())],
    ["messages as a plain object", "commenter", (doc, d) => threadMap(doc, d.ownComment).set("messages", {})],
    [
      "messages as a plain object that looks right",
      "commenter",
      (doc, d) => threadMap(doc, d.ownComment).set("messages", (threadMap(doc, d.ownComment).get("messages") as Y.Map<unknown>).toJSON()),
    ],
    ["claim fields as a plain object that looks right", "checker", (doc, d) => threadMap(doc, d.othersClaim).set("claim", nestedMap(doc, d.othersClaim, "claim").toJSON())],
    ["evidence as a Y.Array", "checker", (doc, d) => threadMap(doc, d.othersClaim).set("evidence", new Y.Array())],
    [
      "a message stored as a Y.Map",
      "commenter",
      (doc, d) => {
        const message = new Y.Map<unknown>();
        nestedMap(doc, d.othersComment, "messages").set("msg-00000005", message);
        for (const [k, v] of Object.entries({ id: "msg-00000005", authorId: ME, body: "hi", mentions: [], createdAt: now(), editedAt: null })) message.set(k, v);
      },
    ],
    [
      "an anchor stored as a Y.Map",
      "commenter",
      (doc, d) => {
        const anchor = new Y.Map<unknown>();
        threadMap(doc, d.ownComment).set("anchor", anchor);
        for (const [k, v] of Object.entries(sampleAnchor(1))) anchor.set(k, v);
      },
    ],
    ["a message body that is not a string", "commenter", (doc, d) => nestedMap(doc, d.othersComment, "messages").set("msg-00000006", { id: "msg-00000006", authorId: ME, body: 42, mentions: [], createdAt: now(), editedAt: null })],
    ["a claim rationale as a Y.Text", "checker", (doc, d) => nestedMap(doc, d.othersClaim, "claim").set("rationale", new Y.Text("because"))],
    ["resolved as a string", "commenter", (doc, d) => threadMap(doc, d.othersComment).set("resolved", "false")],
    ["a thread as a plain object", "commenter", (doc, d) => threadsMap(doc).set("plain-thread-1", { ...(threadMap(doc, d.ownComment).toJSON() as object), id: "plain-thread-1" } as never)],
    ["a thread as a Y.Text", "commenter", (doc) => threadsMap(doc).set("text-thread-1", new Y.Text("hello") as never)],
    [
      "a thread whose id is not its key",
      "commenter",
      (doc) => {
        const id = createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME });
        threadMap(doc, id).set("id", "some-other-id-1");
      },
    ],
  ])("refuses %s", (_name, role, change) => {
    expect(attempt({ role }, change).ok).toBe(false);
  });
});

describe("validateThreadChange: the verdict scale", () => {
  it("refuses a verdict that is not on the desk's scale", () => {
    expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "pants-on-fire" } })).ok).toBe(false);
    expect(attempt({ role: "checker" }, (doc) => void createThread(doc, { kind: "claim", anchor: sampleAnchor(0), by: ME, claim: { verdict: "pants-on-fire" } })).ok).toBe(false);
    expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "Mostly true" } })).ok).toBe(false);
  });

  it("accepts every verdict on the scale, and checks against the desk's own scale", () => {
    for (const v of DEFAULT_VERDICT_SCALE) expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: v.key } })).ok).toBe(true);
    const custom: VerdictScale = [
      { key: "pants-on-fire", label: "Pants on fire", colour: "#ff0000", definition: "Ridiculous.", ratingValue: 1 },
      { key: "accurate", label: "Accurate", colour: "#00ff00", definition: "Fine.", ratingValue: 2 },
    ];
    expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "pants-on-fire" } }), custom).ok).toBe(true);
    expect(attempt({ role: "checker" }, (doc, d) => updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "mostly-true" } }), custom).ok).toBe(false);
  });
});

describe("validateThreadChange: timestamps", () => {
  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();
  const DAY = 24 * 3600_000;

  it.each<[string, (doc: Y.Doc, d: Desk, at: string) => void]>([
    [
      "a message",
      (doc, d, at) => nestedMap(doc, d.othersComment, "messages").set("msg-00000007", { id: "msg-00000007", authorId: ME, body: "hi", mentions: [], createdAt: at, editedAt: null }),
    ],
    [
      "an edit",
      (doc, d, at) => {
        const messages = nestedMap(doc, d.othersComment, "messages");
        messages.set(d.myReply, { ...(messages.get(d.myReply) as object), body: "edited", editedAt: at });
      },
    ],
    ["a thread's creation", (doc, _d, at) => doc.transact(() => threadMap(doc, createThread(doc, { kind: "comment", anchor: sampleAnchor(0), by: ME })).set("createdAt", at))],
    [
      "a resolution",
      (doc, d, at) =>
        doc.transact(() => {
          setResolved(doc, d.othersClaim, { by: ME, resolved: true });
          threadMap(doc, d.othersClaim).set("resolvedAt", at);
        }),
    ],
    [
      "a claim change",
      (doc, d, at) =>
        doc.transact(() => {
          updateClaim(doc, d.othersClaim, { by: ME, patch: { rationale: "later" } });
          nestedMap(doc, d.othersClaim, "claim").set("updatedAt", at);
        }),
    ],
    [
      "a verdict",
      (doc, d, at) =>
        doc.transact(() => {
          updateClaim(doc, d.othersClaim, { by: ME, patch: { verdict: "true" } });
          nestedMap(doc, d.othersClaim, "claim").set("verdictAt", at);
        }),
    ],
    [
      "evidence",
      (doc, d, at) => nestedMap(doc, d.othersClaim, "evidence").set("evi-00000002", { id: "evi-00000002", ...EVIDENCE, addedBy: ME, addedAt: at }),
    ],
  ])("refuses %s dated a day or an hour ahead, accepts it a minute ahead (clock skew)", (_name, change) => {
    expect(attempt({ role: "checker" }, (doc, d) => change(doc, d, inFuture(DAY))).ok).toBe(false);
    expect(attempt({ role: "checker" }, (doc, d) => change(doc, d, inFuture(3600_000))).ok).toBe(false);
    expect(attempt({ role: "checker" }, (doc, d) => change(doc, d, inFuture(60_000))).ok).toBe(true);
  });

  it("refuses a timestamp that is not an ISO date-time", () => {
    expect(
      attempt({ role: "commenter" }, (doc, d) =>
        nestedMap(doc, d.othersComment, "messages").set("msg-00000008", { id: "msg-00000008", authorId: ME, body: "hi", mentions: [], createdAt: "yesterday", editedAt: null }),
      ).ok,
    ).toBe(false);
  });
});

describe("validateThreadChange: what a thread is cannot change", () => {
  it.each<[string, (doc: Y.Doc, d: Desk) => void]>([
    [
      "a comment turned into a claim",
      (doc, d) =>
        doc.transact(() => {
          const thread = threadMap(doc, d.ownComment);
          thread.set("kind", "claim");
          const claim = new Y.Map<unknown>();
          thread.set("claim", claim);
          thread.set("evidence", new Y.Map());
          const at = new Date().toISOString();
          const fields = { claimant: "", appearedIn: "", appearedOn: "", assigneeId: null, state: "open", verdict: null, rationale: "", verdictBy: null, verdictAt: null, updatedBy: ME, updatedAt: at };
          for (const [k, v] of Object.entries(fields)) claim.set(k, v);
        }),
    ],
    [
      "a claim turned into a comment",
      (doc, d) =>
        doc.transact(() => {
          const thread = threadMap(doc, d.ownClaim);
          thread.set("kind", "comment");
          thread.delete("claim");
          thread.delete("evidence");
        }),
    ],
    ["another's thread taken over (createdBy)", (doc, d) => threadMap(doc, d.othersComment).set("createdBy", ME)],
    ["own thread handed to someone else (createdBy)", (doc, d) => threadMap(doc, d.ownComment).set("createdBy", OTHER)],
    ["a thread's creation time", (doc, d) => threadMap(doc, d.ownComment).set("createdAt", "2020-01-01T00:00:00.000Z")],
    ["a thread's id", (doc, d) => threadMap(doc, d.ownComment).set("id", "renamed-thread-1")],
    [
      "a message's creation time",
      (doc, d) => {
        const messages = nestedMap(doc, d.othersComment, "messages");
        messages.set(d.myReply, { ...(messages.get(d.myReply) as object), createdAt: "2020-01-01T00:00:00.000Z" });
      },
    ],
    [
      "when evidence was added",
      (doc, d) => {
        const evidence = nestedMap(doc, d.othersClaim, "evidence");
        evidence.set(d.myEvidence, { ...(evidence.get(d.myEvidence) as object), addedAt: "2020-01-01T00:00:00.000Z" });
      },
    ],
  ])("refuses %s, even for an owner", (_name, change) => {
    expect(attempt({ role: "owner" }, change).ok).toBe(false);
  });
});
