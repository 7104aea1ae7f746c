export * from "./users";
export * from "./teams";
export * from "./articles";
export * from "./audit";
export * from "./documents";
export * from "./review";
export * from "./revisions";
export * from "./publications";
