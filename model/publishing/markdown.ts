import type { ProseMirrorJson } from "../editor-extensions";
import { CLAIM_STATE_LABELS, STANCE_LABELS } from "../review/schema";
import { describeChange } from "./corrections";
import { CLAIM_MARK, highlightClaims, type ClaimMarkAttrs } from "./highlight";
import type { PublicClaim, PublicationContent } from "./types";

/**
 * Escapes user text for Markdown: every character that could start markup anywhere (CommonMark lets
 * any ASCII punctuation be backslash-escaped) and the ones that do so only at a line's start.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~|{}]/g, "\\$&")
    .replace(/^(\s*)([#>+=-])/gm, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/gm, "$1\\$2");
}

/** An http(s) URL as a Markdown link destination, or null for anything else. */
function linkTarget(href: unknown): string | null {
  if (typeof href !== "string") return null;
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? `<${url.href}>` : null;
  } catch {
    return null;
  }
}

/** A Markdown link to an http(s) URL, or the escaped text alone. */
function link(label: string, href: string): string {
  const target = linkTarget(href);
  return target ? `[${escapeMarkdown(label)}](${target})` : escapeMarkdown(label);
}

function inline(nodes: ProseMirrorJson[] | undefined): string {
  let out = "";
  for (const node of nodes ?? []) {
    if (node.type === "hardBreak") {
      out += "\\\n";
      continue;
    }
    if (node.type !== "text") {
      out += inline(node.content);
      continue;
    }
    let piece = escapeMarkdown(node.text ?? "");
    let footnote = "";
    for (const mark of node.marks ?? []) {
      if (mark.type === "bold") piece = `**${piece}**`;
      else if (mark.type === "italic") piece = `*${piece}*`;
      else if (mark.type === "link") {
        const target = linkTarget(mark.attrs?.href);
        if (target) piece = `[${piece}](${target})`;
      } else if (mark.type === CLAIM_MARK) {
        const attrs = mark.attrs as unknown as ClaimMarkAttrs;
        if (attrs.last) footnote += `[^${attrs.number}]`;
      }
    }
    out += piece + footnote;
  }
  return out;
}

function blocks(nodes: ProseMirrorJson[] | undefined, indent = ""): string[] {
  const out: string[] = [];
  for (const node of nodes ?? []) {
    switch (node.type) {
      case "heading": {
        const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 2) + 1));
        out.push(`${indent}${"#".repeat(level)} ${inline(node.content)}`);
        break;
      }
      case "blockquote":
        out.push(
          blocks(node.content)
            .join("\n\n")
            .split("\n")
            .map((line) => `${indent}> ${line}`)
            .join("\n"),
        );
        break;
      case "bulletList":
      case "orderedList":
        out.push(
          (node.content ?? [])
            .map((item, i) => {
              const bullet = node.type === "bulletList" ? "- " : `${i + 1}. `;
              const [head, ...tail] = blocks(item.content, " ".repeat(bullet.length));
              return `${indent}${bullet}${(head ?? "").trimStart()}${tail.length ? `\n\n${tail.join("\n\n")}` : ""}`;
            })
            .join("\n"),
        );
        break;
      default:
        out.push(`${indent}${inline(node.content)}`);
    }
  }
  return out;
}

/** A footnote's body: continuation lines indented so that they stay inside it. */
function footnoteLines(lines: string[]): string {
  return lines.filter(Boolean).join("\n\n").split("\n").join("\n    ");
}

function claimFootnote(claim: PublicClaim, number: number): string {
  const verdict = claim.verdict ? `**${escapeMarkdown(claim.verdict.label)}.**` : "**No verdict yet.**";
  const state = claim.state === "approved" ? "" : ` (${CLAIM_STATE_LABELS[claim.state]})`;
  const said = [claim.claimant && `said by ${escapeMarkdown(claim.claimant)}`, claim.appearedIn && `in ${escapeMarkdown(claim.appearedIn)}`, claim.appearedOn && `on ${claim.appearedOn}`]
    .filter(Boolean)
    .join(" ");
  const lines = [
    `${verdict}${state} “${escapeMarkdown(claim.quote)}”${said ? ` — ${said}` : ""}`,
    claim.rationale.trim() ? escapeMarkdown(claim.rationale.trim()) : "",
    ...claim.evidence.map(
      (e) => `${STANCE_LABELS[e.stance]}: ${link(e.title || e.url, e.url)}${e.publisher ? ` (${escapeMarkdown(e.publisher)})` : ""}${e.note.trim() ? ` — ${escapeMarkdown(e.note.trim())}` : ""}`,
    ),
    claim.checkedBy.length ? `Checked by ${claim.checkedBy.map((p) => escapeMarkdown(p.name)).join(", ")}.` : "",
    claim.approvedBy ? `Approved by ${escapeMarkdown(claim.approvedBy.name)}.` : "",
  ];
  return `[^${number}]: ${footnoteLines(lines)}`;
}

/**
 * The annotated article as Markdown: title and source, the desk's summary, the text with a footnote
 * reference after each claim's passage, the claims as footnotes (verdict, rationale, evidence with
 * stance, who checked and approved), the methodology and the corrections. All user text is escaped.
 */
export function buildMarkdown(content: PublicationContent): string {
  const { article, summary } = content;
  const numbered = content.claims.map((claim, i) => ({ claim, number: i + 1 }));
  const ranges = numbered.flatMap(({ claim, number }) => (claim.range ? [{ id: claim.id, number, ...claim.range }] : []));
  const out: string[] = [`# ${escapeMarkdown(article.title)}`];

  const meta = [
    article.sourceUrl ? `Source: ${link(article.publisher || article.sourceUrl, article.sourceUrl)}` : article.publisher ? `Source: ${escapeMarkdown(article.publisher)}` : "",
    article.author ? `By ${escapeMarkdown(article.author)}` : "",
    article.publishedOn ?? "",
  ].filter(Boolean);
  if (meta.length) out.push(meta.join(" · "));
  if (content.number > 0) out.push(`Checked by ${escapeMarkdown(content.desk.name)}, published ${content.publishedAt.slice(0, 10)}: ${link(content.versionUrl, content.versionUrl)}`);

  if (summary) {
    out.push("## Summary");
    if (summary.rating) out.push(`**Overall rating: ${escapeMarkdown(summary.rating.label)}**`);
    if (summary.takeaway.trim()) out.push(`> ${escapeMarkdown(summary.takeaway.trim())}`);
    out.push(...blocks(summary.body.content));
  }

  out.push("## The article", ...blocks(highlightClaims(content.body, ranges).content));

  const unplaced = numbered.filter(({ claim }) => !claim.range);
  if (unplaced.length) {
    out.push("## Claims whose passage is no longer in the text", ...unplaced.map(({ claim, number }) => `- “${escapeMarkdown(claim.quote)}”[^${number}]`));
  }

  out.push("## Methodology", content.scale.map((v) => `- **${escapeMarkdown(v.label)}** (${v.ratingValue}): ${escapeMarkdown(v.definition)}`).join("\n"));

  if (content.corrections.length) {
    out.push(
      "## Corrections",
      content.corrections
        .map((c) => `- ${c.at.slice(0, 10)}: ${escapeMarkdown(c.note)}${c.changes.map((ch) => `\n  - ${escapeMarkdown(describeChange(ch))}`).join("")}`)
        .join("\n"),
    );
  }

  if (numbered.length) out.push(numbered.map(({ claim, number }) => claimFootnote(claim, number)).join("\n\n"));
  return `${out.filter((block) => block.trim()).join("\n\n")}\n`;
}
