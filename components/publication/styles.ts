import type { Verdict } from "@/model/verdict-scale";

/**
 * The published page's only stylesheet. It is inlined in a <style> element that the page's
 * Content-Security-Policy names by hash, so nothing else can style the page and no request is needed.
 * No user text ever goes into it: verdict colours come from the desk's validated scale and are
 * checked again below.
 */
const BASE_CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#e3e1dc;--bg:#fbfaf8;--accent:#1b5e9a;--mark:#fff1b8;--serif:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,serif;--sans:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{background:var(--bg);color:var(--ink);font:17px/1.6 var(--serif)}
a{color:var(--accent)}
.masthead,.colophon{font-family:var(--sans);font-size:14px;color:var(--muted);padding:12px 24px;border-bottom:1px solid var(--line);background:#fff}
.colophon{border-top:1px solid var(--line);border-bottom:0;margin-top:48px}
main{max-width:760px;margin:0 auto;padding:24px 24px 48px}
h1,h2,h3,h4{font-family:var(--sans);line-height:1.25}
h1{font-size:32px;margin:8px 0 12px}
h2{font-size:22px;margin:40px 0 12px;padding-top:8px;border-top:1px solid var(--line)}
h3{font-size:18px;margin:0 0 8px}
h4{font-size:15px;margin:16px 0 6px}
.meta,.credits,.source{font-family:var(--sans);font-size:14px;color:var(--muted);margin:4px 0}
.verdict{display:inline-flex;align-items:center;gap:6px;font-family:var(--sans);font-size:14px;font-weight:700;padding:2px 10px;border:2px solid var(--muted);border-radius:999px;background:#fff;white-space:nowrap}
.verdict .swatch{display:inline-block;width:10px;height:10px;border-radius:50%;background:var(--muted)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
.summary h2{border:0;margin:0 0 8px;padding:0}
.takeaway{font-size:19px;font-weight:600;margin:8px 0}
.toc ol{padding-left:22px}
.toc li{margin:6px 0}
.toc .verdict{margin-left:6px}
.article-text mark.claim{background:var(--mark);color:inherit;padding:0 1px;border-bottom:2px solid #c99400}
.claim-ref{font-family:var(--sans);font-size:12px;margin-left:1px}
.claim-review{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
.claim-review blockquote{margin:8px 0;padding-left:12px;border-left:3px solid var(--line);font-style:italic}
.evidence{padding-left:0;list-style:none}
.evidence li{margin:8px 0}
.stance{display:inline-flex;gap:4px;font-family:var(--sans);font-size:13px;font-weight:700;margin-right:6px}
.stance-supports{color:#1e7b45}
.stance-refutes{color:#b3261e}
.stance-context{color:#5f6368}
.methodology dt{margin-top:10px}
.methodology dd{margin:4px 0 0 0}
.corrections li{margin:10px 0}
.versions{font-family:var(--sans);font-size:14px}
.notice{background:#fff;border:1px solid var(--line);border-radius:8px;padding:20px 24px;margin:40px 0}
`;

const HEX = /^#[0-9a-f]{6}$/i;

/** The CSS class of the n-th verdict the page shows; classes are numbered, so no verdict key reaches the stylesheet. */
export function verdictClass(index: number): string {
  return `verdict-${index}`;
}

/** The stylesheet of a page that shows `verdicts` (index = the number in their class). */
export function publicationCss(verdicts: readonly Pick<Verdict, "colour">[]): string {
  const rules = verdicts.map((v, i) => {
    const colour = HEX.test(v.colour) ? v.colour : "#5f6368";
    return `.${verdictClass(i)}{border-color:${colour}}.${verdictClass(i)} .swatch{background:${colour}}`;
  });
  return `${BASE_CSS.trim()}\n${rules.join("\n")}\n`;
}
