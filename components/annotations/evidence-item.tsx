import type { Evidence } from "@/model/review";
import { StanceBadge } from "./stance-badge";

/**
 * One evidence item as the desk sees it, live or in an old revision: stance, link, publisher, note and
 * who added it. `actions` (such as "Remove") follow the author's name when the viewer may edit.
 */
export function EvidenceItem({ evidence: e, addedBy, actions }: { evidence: Evidence; addedBy: string; actions?: React.ReactNode }) {
  return (
    <li data-testid="evidence-item">
      <StanceBadge stance={e.stance} />{" "}
      <a href={e.url} target="_blank" rel="noopener noreferrer nofollow">
        {e.title || e.url}
      </a>
      {e.publisher && <span className="muted"> · {e.publisher}</span>}
      {e.note && <p className="small">{e.note}</p>}
      <div className="muted small">
        added by {addedBy}
        {actions}
      </div>
    </li>
  );
}
