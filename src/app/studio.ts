/**
 * LangGraph Studio entry (see langgraph.json): `npx @langchain/langgraph-cli dev` imports this
 * module and serves `graph`. The model is HEARTH_MODEL (a GGUF path, an hf: URI or
 * `openai:<model>@<base-url>` for an OpenAI-compatible server) or, when unset,
 * the one Hearth selects for this machine; HEARTH_DOCS is the folder `search_documents` reads
 * (default: the bundled examples/docs); HEARTH_APPROVE (tool names or "all") makes those calls
 * pause for approval, which Studio shows as an interrupt to resume. The server brings its own
 * checkpointer, so the graph is compiled without one.
 */
import { fileURLToPath } from "node:url";
import { createAgentGraph } from "../graph/index.js";
import { builtinTools } from "../tools/index.js";
import { approvalChoice } from "./approval-choice.js";
import { openChatModel } from "./open-chat-model.js";

/**
 * The dev server runs this module in a process started with `--import <langgraph-api>/preload.mjs`,
 * a hook that parses the process's last argument as the server's JSON payload. node-llama-cpp
 * tests its native binary in a forked child, and forks inherit `execArgv`: the hook then parses
 * the child's script path as JSON, the child dies, and node-llama-cpp reports "no binary found".
 * Dropping the hook from `execArgv` (this process has run it already) lets that test pass.
 */
function withoutServerPreload(): void {
  const at = process.execArgv.findIndex((arg) =>
    /langgraph-api[\\/]dist[\\/]preload\.mjs$/.test(arg),
  );
  if (at > 0 && process.execArgv[at - 1] === "--import") process.execArgv.splice(at - 1, 2);
}

const numberFromEnv = (name: string): number | undefined => {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`${name} must be a positive whole number; got "${value}".`);
  }
  return parsed;
};

withoutServerPreload();

const contextSize = numberFromEnv("HEARTH_CONTEXT");
const local = await openChatModel({
  model: process.env.HEARTH_MODEL || undefined,
  contextSize,
  maxTokens: numberFromEnv("HEARTH_MAX_TOKENS"),
});

const tools = builtinTools({
  docsFolder:
    process.env.HEARTH_DOCS || fileURLToPath(new URL("../../examples/docs", import.meta.url)),
});

export const graph = createAgentGraph({
  model: local.chat,
  tools,
  contextSize,
  checkpointer: false,
  approveTools: approvalChoice(
    "HEARTH_APPROVE",
    process.env.HEARTH_APPROVE,
    tools.map((tool) => tool.name),
  ),
});
