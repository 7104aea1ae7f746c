export { createRevision, type CreateRevisionParams } from "./create";
export { restoreRevision, type RestoreResult } from "./restore";
export { claimHistoryOf, compareRevisions, listRevisionPage, parseRevisionRef, viewRevision } from "./read";
