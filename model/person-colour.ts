const COLOURS = ["#1b5e9a", "#8e3b8a", "#1e7b45", "#b35c00", "#9a1b3c", "#3b5b8e", "#5b6b1e", "#6b3b1e"];

/** A stable colour for a person, from their id: the same in avatars, carets and presence. */
export function colourFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length] ?? "#1b5e9a";
}
