export * from "./schema";
export * from "./layout";
export * from "./anchors";
export * from "./operations";
export * from "./changes";
export * from "./validate";
export * from "./approval";
