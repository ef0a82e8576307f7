import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";

// Imported by package name, so each import goes through package.json's `exports` (a package may
// import itself by name): these are the paths an app writes.
const SUBPATHS: Record<string, string[]> = {
  hearth: [
    "ChatNodeLlamaCpp",
    "createAgentGraph",
    "openCheckpointer",
    "summarizeRun",
    "defineTool",
    "builtinTools",
    "compileTools",
    "detectHardware",
    "selectModel",
    "loadModel",
    "chatModelFromSelection",
    "ModelUnavailableError",
    "MODEL_CATALOG",
    "HearthEmbeddings",
  ],
  "hearth/graph": [
    "createAgentGraph",
    "AgentState",
    "TimedToolNode",
    "RouteDecisionSchema",
    "closeCheckpointer",
    "ThreadBusyError",
    "ThreadStoreError",
  ],
  "hearth/tools": ["defineTool", "compileTools", "getToolCallGrammar", "KEYWORD_RULES"],
  "hearth/models": ["ChatNodeLlamaCpp", "getHearthLlama", "resolveModelPath", "MODEL_CATALOG"],
  "hearth/eval": ["runEval", "builtinSuite", "importBfcl", "scoreCalls", "writeReports"],
  "hearth/bench": ["runBench", "parseBenchIds", "renderTerminal", "BENCH_IDS"],
  "hearth/testing": ["writeTestModel", "MODEL_SHAPES", "ScriptedChatModel", "stepScript"],
  "hearth/serve": ["startServer", "Router", "HttpError", "isLoopbackHost"],
  "hearth/llamaindex": ["HearthLLM", "HearthEmbedding"],
  "hearth/adapters": ["OpenAICompatibleChatModel"],
  "hearth/otel": ["OpenTelemetryCallbackHandler", "GenAiAttributes"],
  "hearth/prometheus": [
    "HearthMetrics",
    "metricsHandler",
    "metricsForServer",
    "PrometheusCallbackHandler",
  ],
};

describe("public API: the root export and the subpath exports", () => {
  for (const [specifier, names] of Object.entries(SUBPATHS)) {
    it(`${specifier} exports ${names.join(", ")}`, async () => {
      const module: Record<string, unknown> = await import(specifier);
      const missing = names.filter((name) => module[name] === undefined);
      assert.deepEqual(missing, [], `${specifier} lacks ${missing.join(", ")}`);
    });
  }

  it("keeps the root small: internals and test tools are not exported from hearth", async () => {
    const root: Record<string, unknown> = await import("hearth");
    const values = Object.keys(root);
    // Runtime values only (types vanish); the full list, so growth is a decision.
    assert.deepEqual(values.sort(), [...SUBPATHS.hearth].sort());
    for (const internal of ["writeTestModel", "getToolCallGrammar", "scoreCalls", "getHearthLlama"])
      assert.equal(internal in root, false, internal);
  });

  it("package.json names exactly these subpaths", async () => {
    const manifest = JSON.parse(
      await readFile(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { exports: Record<string, string> };
    const declared = Object.keys(manifest.exports)
      .filter((key) => key !== "./package.json")
      .map((key) => (key === "." ? "hearth" : `hearth/${key.slice(2)}`));
    assert.deepEqual(declared.sort(), Object.keys(SUBPATHS).sort());
  });
});
