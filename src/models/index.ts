// hearth/models: the model layer behind the public API (hardware, catalog, selection, loading,
// the llama.cpp runtime, the chat model's helpers). Most apps need only what `hearth` exports.
export * from "./catalog/index.js";
export * from "./chat/index.js";
export * from "./context/index.js";
export * from "./embeddings/index.js";
export * from "./hardware/index.js";
export * from "./load/index.js";
export * from "./runtime/index.js";
export * from "./select/index.js";
export * from "./snapshots/index.js";
