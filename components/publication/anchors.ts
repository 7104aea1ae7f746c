/** The id of a claim's review card on the published page (the passage in the text has `claim-<id>`). */
export function reviewAnchor(claimId: string): string {
  return `review-${claimId}`;
}
