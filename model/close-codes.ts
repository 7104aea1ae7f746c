/**
 * Websocket close codes shared by the collaboration server and the browser. 4000–4999 are free for
 * applications; the last three digits echo the matching HTTP status where there is one.
 */
export const CLOSE_CODES = {
  /** The ticket is missing, forged or expired: fetch a new one and reconnect. */
  unauthorized: 4401,
  /** The user may not open this room at all (no longer a member): do not retry. */
  forbidden: 4403,
  /** The user's role changed: reconnect with a fresh ticket, which carries the new rights. */
  accessChanged: 4409,
  /** A frame could not be decoded. */
  malformed: 4400,
  /** A frame was larger than LIMITS.wsMessageBytes. */
  messageTooLarge: 4413,
  /** The document would exceed LIMITS.documentBytes: do not retry. */
  documentTooLarge: 4414,
  /** An update was refused by the server's validation: discard local state for the room and reload. */
  refused: 4422,
  /** The room already holds LIMITS.connectionsPerRoom connections. */
  roomFull: 4429,
  /**
   * The server cannot save changes right now (its database is unreachable and its unsaved log is
   * full, or the document cannot be loaded). The frame was not applied: keep local edits and
   * reconnect later.
   */
  storageUnavailable: 4503,
  /** The server is restarting; reconnect. */
  serverRestart: 1012,
  /**
   * The websocket library's own answer (RFC 6455 "message too big") to a frame beyond its backstop of
   * twice LIMITS.wsMessageBytes, closed before our handler sees it: the same as messageTooLarge.
   */
  frameTooBig: 1009,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;

/** Codes after which reconnecting cannot help. The client stops and tells the user why. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.forbidden,
  CLOSE_CODES.documentTooLarge,
  CLOSE_CODES.messageTooLarge,
  CLOSE_CODES.frameTooBig,
]);

/** What to tell the user when a connection closes with `code`. */
export function describeClose(code: number): string {
  switch (code) {
    case CLOSE_CODES.forbidden:
      return "You no longer have access to this article.";
    case CLOSE_CODES.documentTooLarge:
      return "This document has reached its maximum size; further changes cannot be saved.";
    case CLOSE_CODES.messageTooLarge:
    case CLOSE_CODES.frameTooBig:
      return "A change was too large to send. Reload the page.";
    case CLOSE_CODES.accessChanged:
      return "Your role changed; reconnecting with your new rights.";
    case CLOSE_CODES.refused:
      return "A change was refused by the server and has been undone.";
    case CLOSE_CODES.roomFull:
      return "Too many people have this article open right now.";
    case CLOSE_CODES.storageUnavailable:
      return "Changes cannot be saved right now; they are kept in this browser and will be sent when the server recovers.";
    default:
      return "Connection lost; reconnecting.";
  }
}
