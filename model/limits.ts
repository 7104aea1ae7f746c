/** Size limits shared by the browser, the API and the collaboration server. */
export const LIMITS = {
  /** Largest pasted article body accepted by the import API, in characters. */
  importedArticleChars: 500_000,
  /** Largest JSON request body accepted by the HTTP API, in bytes. */
  requestBodyBytes: 1_000_000,
  titleChars: 300,
  teamNameChars: 80,
  personNameChars: 100,
  passwordMinChars: 10,
  passwordMaxChars: 200,
  urlChars: 2_000,
  /** Largest single websocket frame, in bytes. */
  wsMessageBytes: 1_000_000,
  /** Largest encoded state of one collaborative document, in bytes. */
  documentBytes: 10_000_000,
  /** Most simultaneous connections to one room. */
  connectionsPerRoom: 250,
  /**
   * Most bytes of accepted edits one collaboration server process holds that are not yet stored
   * (while PostgreSQL is unreachable). Past it, new edits are refused (close code storageUnavailable)
   * rather than accepted and then lost; the browsers keep them and send them once the log drains.
   */
  unsavedLogBytes: 32_000_000,
} as const;
