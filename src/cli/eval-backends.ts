import { basename, resolve } from "node:path";
import type { ComparedBackend } from "../eval/index.js";
import { CliUsageError } from "./command.js";

/** What `--model` / `--compare` name: a local GGUF, a model to download, or an OpenAI-compatible endpoint. */
export type BackendSpec =
  | { kind: "gguf"; spec: string; path: string }
  | { kind: "download"; spec: string; uri: string }
  | { kind: "openai"; spec: string; model: string; baseURL?: string };

export type OpenedBackend = ComparedBackend & { dispose(): Promise<void> };

export interface BackendOptions {
  /** For `openai:` specs without their own `@<url>`. */
  baseURL?: string;
  contextSize?: number;
  maxTokens?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * `openai:<model>` (optionally `openai:<model>@<base url>`), `hf:…`/`https://…` (downloaded), or
 * a path to a GGUF file.
 */
export function parseBackendSpec(spec: string, baseURL?: string): BackendSpec {
  const text = spec.trim();
  if (text === "") throw new CliUsageError("An empty model name was given.");
  if (text.startsWith("openai:")) {
    const rest = text.slice("openai:".length);
    const at = rest.search(/@https?:\/\//);
    const model = at === -1 ? rest : rest.slice(0, at);
    if (model === "") {
      throw new CliUsageError(
        `"${spec}" names no model: write openai:<model>, e.g. openai:gpt-4o-mini or openai:qwen3:8b --base-url http://127.0.0.1:11434/v1.`,
      );
    }
    const url = at === -1 ? baseURL : rest.slice(at + 1);
    return url === undefined
      ? { kind: "openai", spec: text, model }
      : { kind: "openai", spec: text, model, baseURL: url };
  }
  if (/^(hf:|https?:)/.test(text)) return { kind: "download", spec: text, uri: text };
  return { kind: "gguf", spec: text, path: resolve(text) };
}

/** The API key for an OpenAI-compatible endpoint: HEARTH_OPENAI_API_KEY, else OPENAI_API_KEY. */
function apiKeyFor(
  backend: Extract<BackendSpec, { kind: "openai" }>,
  env: NodeJS.ProcessEnv,
): string {
  const key = env.HEARTH_OPENAI_API_KEY || env.OPENAI_API_KEY;
  if (key) return key;
  if (backend.baseURL === undefined) {
    throw new CliUsageError(
      `${backend.spec} needs an API key: set OPENAI_API_KEY (or HEARTH_OPENAI_API_KEY), or give --base-url of a local OpenAI-compatible server (Ollama's http://127.0.0.1:11434/v1, llama-server, vLLM).`,
    );
  }
  // Local servers (Ollama, llama-server, vLLM without --api-key) ignore the key, but the client insists on one.
  return "unused";
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    throw new CliUsageError(`--base-url "${url}" is not a URL (e.g. http://127.0.0.1:11434/v1).`);
  }
}

/** Opens one backend as a LangChain chat model with a report label and model facts. */
export async function openBackend(
  spec: BackendSpec,
  options: BackendOptions = {},
): Promise<OpenedBackend> {
  const env = options.env ?? process.env;
  if (spec.kind === "openai") {
    const { ChatOpenAI } = await import("@langchain/openai");
    const apiKey = apiKeyFor(spec, env);
    const model = new ChatOpenAI({
      model: spec.model,
      apiKey,
      temperature: 0,
      maxTokens: options.maxTokens,
      // The eval measures the backend, so a failed request is that case's failure, not retried.
      maxRetries: 0,
      configuration: spec.baseURL === undefined ? undefined : { baseURL: spec.baseURL },
    });
    const where = spec.baseURL === undefined ? "api.openai.com" : hostOf(spec.baseURL);
    return {
      label: spec.baseURL === undefined ? spec.spec : `${spec.spec.split("@")[0]}@${where}`,
      model,
      modelInfo: { name: spec.model, file: spec.baseURL ?? "https://api.openai.com/v1" },
      dispose: async () => {},
    };
  }
  // The loader `ask` and `pull` use: the same cache folder, HEARTH_OFFLINE, and errors.
  const { openLocalChatModel } = await import("../app/local-chat-model.js");
  const { loadProgressPrinter } = await import("./load-progress.js");
  const local = await openLocalChatModel({
    model: spec.kind === "download" ? spec.uri : spec.path,
    contextSize: options.contextSize,
    maxTokens: options.maxTokens,
    onProgress: loadProgressPrinter(),
  });
  const model = local.chat;
  const path = local.loaded.path;
  const { describeModelForReport } = await import("../eval/index.js");
  let modelInfo: Awaited<ReturnType<typeof describeModelForReport>>;
  try {
    modelInfo = await describeModelForReport(path);
  } catch (error) {
    await model.dispose();
    throw error;
  }
  if (modelInfo.randomWeights) {
    options.log?.(
      `Note: ${basename(path)} is a generated random-weight model; its accuracy will be chance.`,
    );
  }
  return {
    label: spec.kind === "download" ? spec.uri : basename(path),
    model,
    modelInfo,
    dispose: () => model.dispose(),
  };
}
