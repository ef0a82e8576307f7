import { basename, resolve } from "node:path";
import { isRemoteModelSpec, parseRemoteModelSpec } from "../app/open-chat-model.js";
import type { ComparedBackend } from "../eval/index.js";
import { MICRO_MODEL_NAME } from "../models/load/micro-model.js";
import { CliUsageError } from "./command.js";

/** What `--model` / `--compare` name: a local GGUF (or "micro"), a model to download, or an OpenAI-compatible endpoint. */
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
  if (isRemoteModelSpec(text)) {
    // The same reading of `openai:` specs as every other command (src/app/open-chat-model.ts).
    let remote: ReturnType<typeof parseRemoteModelSpec>;
    try {
      remote = parseRemoteModelSpec(text);
    } catch (error) {
      throw new CliUsageError(error instanceof Error ? error.message : String(error));
    }
    const url = remote.baseURLs.length > 0 ? remote.baseURLs.join(",") : baseURL;
    return url === undefined
      ? { kind: "openai", spec: text, model: remote.model }
      : { kind: "openai", spec: text, model: remote.model, baseURL: url };
  }
  if (/^(hf:|https?:)/.test(text)) return { kind: "download", spec: text, uri: text };
  // Hearth Micro by name: the loader finds the shipped file (or says how to build it).
  if (text === MICRO_MODEL_NAME) return { kind: "gguf", spec: text, path: text };
  return { kind: "gguf", spec: text, path: resolve(text) };
}

/**
 * OpenAI's own API needs a key (HEARTH_OPENAI_API_KEY or OPENAI_API_KEY); local servers (Ollama,
 * llama-server, vLLM without --api-key) do not, and get a placeholder from openChatModel.
 */
function checkApiKey(backend: Extract<BackendSpec, { kind: "openai" }>, env: NodeJS.ProcessEnv) {
  if (env.HEARTH_OPENAI_API_KEY || env.OPENAI_API_KEY || backend.baseURL !== undefined) return;
  throw new CliUsageError(
    `${backend.spec} needs an API key: set OPENAI_API_KEY (or HEARTH_OPENAI_API_KEY), or give --base-url of a local OpenAI-compatible server (Ollama's http://127.0.0.1:11434/v1, llama-server, vLLM).`,
  );
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
  // The one way every command opens a model; eval adds only its report label and model facts.
  const { openChatModel } = await import("../app/open-chat-model.js");
  if (spec.kind === "openai") {
    checkApiKey(spec, env); // Fails before any case runs.
    const opened = await openChatModel({
      model:
        spec.baseURL === undefined
          ? `openai:${spec.model}`
          : `openai:${spec.model}@${spec.baseURL}`,
      maxTokens: options.maxTokens,
      env,
    });
    const where =
      spec.baseURL === undefined ? "api.openai.com" : hostOf(spec.baseURL.split(",")[0]);
    return {
      label: spec.baseURL === undefined ? spec.spec : `${spec.spec.split("@")[0]}@${where}`,
      model: opened.chat,
      modelInfo: { name: spec.model, file: opened.source },
      dispose: () => opened.dispose(),
    };
  }
  const { loadProgressPrinter } = await import("./load-progress.js");
  const opened = await openChatModel({
    model: spec.kind === "download" ? spec.uri : spec.path,
    contextSize: options.contextSize,
    maxTokens: options.maxTokens,
    onProgress: loadProgressPrinter(),
    env,
  });
  const path = opened.localPath ?? opened.source;
  const { describeModelForReport } = await import("../eval/index.js");
  let modelInfo: Awaited<ReturnType<typeof describeModelForReport>>;
  try {
    modelInfo = await describeModelForReport(path);
  } catch (error) {
    await opened.dispose();
    throw error;
  }
  if (modelInfo.randomWeights) {
    options.log?.(
      `Note: ${basename(path)} is a generated random-weight model; its accuracy will be chance.`,
    );
  }
  return {
    label: spec.kind === "download" ? spec.uri : basename(path),
    model: opened.chat,
    modelInfo,
    dispose: () => opened.dispose(),
  };
}
