export * from "./schema";
export * from "./layout";
export * from "./approval";
export * from "./operations";
export * from "./changes";
export * from "./validate";
