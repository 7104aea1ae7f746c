import { docToPlainText } from "../editor-extensions";
import type { CorrectionChange, PublicClaim, PublicationContent, PublicEvidence } from "./types";

const sameEvidence = (a: PublicEvidence[], b: PublicEvidence[]) => {
  const key = (list: PublicEvidence[]) => JSON.stringify([...list].sort((x, y) => x.id.localeCompare(y.id)).map((e) => [e.id, e.url, e.title, e.publisher, e.stance, e.note]));
  return key(a) === key(b);
};

/**
 * What a new publication changed against the previous one, for the corrections log: claims made
 * public or withdrawn, changed verdicts (by their labels), rationales and evidence, the overall
 * rating, the summary and the article text. In the new publication's claim order, then the rest.
 */
export function correctionChanges(
  previous: Pick<PublicationContent, "claims" | "summary" | "body">,
  next: Pick<PublicationContent, "claims" | "summary" | "body">,
): CorrectionChange[] {
  const changes: CorrectionChange[] = [];
  const before = new Map(previous.claims.map((c) => [c.id, c]));
  const after = new Set(next.claims.map((c) => c.id));
  const label = (c: PublicClaim) => c.verdict?.label ?? null;

  if ((previous.summary?.rating?.key ?? null) !== (next.summary?.rating?.key ?? null)) {
    changes.push({ kind: "rating-changed", from: previous.summary?.rating?.label ?? null, to: next.summary?.rating?.label ?? null });
  }
  if ((previous.summary?.text ?? "") !== (next.summary?.text ?? "") || (previous.summary?.takeaway ?? "") !== (next.summary?.takeaway ?? "")) {
    changes.push({ kind: "summary-changed" });
  }
  for (const claim of next.claims) {
    const old = before.get(claim.id);
    if (!old) {
      changes.push({ kind: "claim-added", claimId: claim.id, quote: claim.quote });
      continue;
    }
    if ((old.verdict?.key ?? null) !== (claim.verdict?.key ?? null)) {
      changes.push({ kind: "verdict-changed", claimId: claim.id, quote: claim.quote, from: label(old), to: label(claim) });
    }
    if (old.rationale !== claim.rationale) changes.push({ kind: "rationale-changed", claimId: claim.id, quote: claim.quote });
    if (!sameEvidence(old.evidence, claim.evidence)) changes.push({ kind: "evidence-changed", claimId: claim.id, quote: claim.quote });
  }
  for (const old of previous.claims) if (!after.has(old.id)) changes.push({ kind: "claim-removed", claimId: old.id, quote: old.quote });
  if (docToPlainText(previous.body) !== docToPlainText(next.body)) changes.push({ kind: "text-changed" });
  return changes;
}

/** One change as the corrections log words it. */
export function describeChange(change: CorrectionChange): string {
  const quoted = (quote: string) => `“${quote.length > 80 ? `${quote.slice(0, 79)}…` : quote}”`;
  switch (change.kind) {
    case "verdict-changed":
      return `Verdict on ${quoted(change.quote)}: ${change.from ?? "none"} → ${change.to ?? "none"}`;
    case "claim-added":
      return `Claim added: ${quoted(change.quote)}`;
    case "claim-removed":
      return `Claim removed: ${quoted(change.quote)}`;
    case "rationale-changed":
      return `Rationale revised for ${quoted(change.quote)}`;
    case "evidence-changed":
      return `Evidence revised for ${quoted(change.quote)}`;
    case "rating-changed":
      return `Overall rating: ${change.from ?? "none"} → ${change.to ?? "none"}`;
    case "summary-changed":
      return "The summary was revised";
    case "text-changed":
      return "The article text was updated";
  }
}
