import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { LoadProgress } from "../models/load/index.js";

/** `openai:<model>@<base-url>`: a model behind an OpenAI-compatible API. */
export interface RemoteModelSpec {
  model: string;
  /** Absent for OpenAI's own API. */
  baseURL?: string;
}

const REMOTE_PREFIX = "openai:";

export function isRemoteModelSpec(spec: string | undefined): spec is string {
  return spec?.startsWith(REMOTE_PREFIX) === true;
}

/**
 * Reads `openai:<model>[@<base-url>]`. The URL starts at the last "@http", so model names that
 * contain "@" still work.
 */
export function parseRemoteModelSpec(spec: string): RemoteModelSpec {
  const rest = spec.slice(REMOTE_PREFIX.length);
  const at = rest.search(/@https?:\/\/[^@]*$/);
  const model = (at >= 0 ? rest.slice(0, at) : rest).trim();
  const baseURL = at >= 0 ? rest.slice(at + 1).trim() : undefined;
  const example = "e.g. openai:Qwen/Qwen3-8B@http://127.0.0.1:8000/v1";
  if (model === "")
    throw new Error(`"${spec}" names no model; use openai:<model>@<base-url>, ${example}.`);
  if (baseURL === undefined && rest.includes("@")) {
    throw new Error(`"${spec}": the part after "@" must be an http(s) URL, ${example}.`);
  }
  if (baseURL !== undefined) {
    try {
      new URL(baseURL);
    } catch {
      throw new Error(`"${spec}": "${baseURL}" is not a URL, ${example}.`);
    }
  }
  return { model, ...(baseURL ? { baseURL } : {}) };
}

export interface ChatModelOptions {
  /** A GGUF path, an `hf:` URI, or `openai:<model>@<base-url>`; when absent the local model is picked for this machine. */
  model?: string;
  contextSize?: number;
  /** Tokens per reply. */
  maxTokens?: number;
  onProgress?: (progress: LoadProgress) => void;
  env?: NodeJS.ProcessEnv;
}

export interface OpenedChatModel {
  chat: BaseChatModel;
  /** One line saying which model runs and why. */
  description: string;
  /** The GGUF file, or the remote model as `<model>@<base-url>`. */
  source: string;
  dispose(): Promise<void>;
}

/**
 * The one way the CLI, Studio and eval open a model from a spec string: a GGUF path or `hf:` URI
 * loads in this process (`openLocalChatModel`); `openai:<model>@<base-url>` is LangChain's
 * `ChatOpenAI` against any OpenAI-compatible server (vLLM, llama-server, Ollama, `hearth
 * serve`, OpenAI), its key from HEARTH_OPENAI_API_KEY or OPENAI_API_KEY. Local servers usually
 * need no key; a placeholder is sent then, and a server that wants one answers 401.
 */
export async function openChatModel(options: ChatModelOptions = {}): Promise<OpenedChatModel> {
  if (isRemoteModelSpec(options.model)) {
    const { model, baseURL } = parseRemoteModelSpec(options.model);
    const env = options.env ?? process.env;
    const { ChatOpenAI } = await import("@langchain/openai");
    const chat = new ChatOpenAI({
      model,
      apiKey: env.HEARTH_OPENAI_API_KEY || env.OPENAI_API_KEY || "no-key",
      temperature: 0,
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      // A dead server should fail the run, not hold it through the client's retries.
      maxRetries: 1,
      ...(baseURL ? { configuration: { baseURL } } : {}),
    });
    const source = `${model}@${baseURL ?? "https://api.openai.com/v1"}`;
    return {
      chat,
      description: `${model} at ${baseURL ?? "OpenAI"}`,
      source,
      dispose: async () => {},
    };
  }
  const { openLocalChatModel } = await import("./local-chat-model.js");
  const local = await openLocalChatModel(options);
  return {
    chat: local.chat,
    description: local.description,
    source: local.loaded.path,
    dispose: () => local.chat.dispose(),
  };
}
