export * from "./common";
export * from "./auth";
export * from "./team";
export * from "./article";
export * from "./collab";
export * from "./guests";
