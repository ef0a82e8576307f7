import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { LoadProgress } from "../models/load/index.js";

/** `openai:<model>@<base-url>[,<base-url>…]`: a model behind OpenAI-compatible servers. */
export interface RemoteModelSpec {
  model: string;
  /** Replicas in order of preference; empty for OpenAI's own API. */
  baseURLs: string[];
}

const REMOTE_PREFIX = "openai:";

export function isRemoteModelSpec(spec: string | undefined): spec is string {
  return spec?.startsWith(REMOTE_PREFIX) === true;
}

/**
 * Reads `openai:<model>[@<base-url>[,<base-url>…]]`. The URLs start at the first "@http", so
 * model names that contain "@" still work; further URLs are replicas to fail over to.
 */
export function parseRemoteModelSpec(spec: string): RemoteModelSpec {
  const rest = spec.slice(REMOTE_PREFIX.length);
  const at = rest.search(/@https?:\/\//);
  const model = (at >= 0 ? rest.slice(0, at) : rest).trim();
  const example = "e.g. openai:Qwen/Qwen3-8B@http://127.0.0.1:8000/v1";
  if (model === "") {
    throw new Error(`"${spec}" names no model; use openai:<model>@<base-url>, ${example}.`);
  }
  if (at < 0 && rest.includes("@")) {
    throw new Error(`"${spec}": the part after "@" must be an http(s) URL, ${example}.`);
  }
  const baseURLs =
    at < 0
      ? []
      : rest
          .slice(at + 1)
          .split(",")
          .map((url) => url.trim());
  for (const url of baseURLs) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new Error(`"${spec}": "${url}" is not an http(s) URL, ${example}.`);
    }
  }
  return { model, baseURLs };
}

/** What this module uses of `src/adapters/openai-chat-model.ts`, typed here (see below). */
interface RemoteModelModule {
  OpenAICompatibleChatModel: new (fields: {
    model: string;
    baseURLs: string[];
    apiKey: string;
    temperature: number;
    maxTokens?: number;
    maxRetries: number;
  }) => BaseChatModel;
}

/**
 * LangGraph Studio's schema extractor builds a TypeScript program from the Studio entry, which
 * imports this file, and gives up after 30 s; @langchain/openai and the openai client bring some
 * 300 declaration files into that program, enough to miss the limit on a busy machine. TypeScript
 * follows only literal import specifiers, so the adapter is imported through this constant: the
 * same module at run time, outside the program the extractor reads.
 */
const REMOTE_MODEL_MODULE = "../adapters/openai-chat-model.js";

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
  /** The GGUF file when the model runs in this process. */
  localPath?: string;
  dispose(): Promise<void>;
}

/**
 * The one way the CLI, Studio and eval open a model from a spec string: a GGUF path or `hf:` URI
 * loads in this process (`openLocalChatModel`); `openai:<model>@<base-url>[,<base-url>…]` is
 * LangChain's `ChatOpenAI` against OpenAI-compatible servers (vLLM, llama-server, Ollama,
 * `hearth serve`, OpenAI) with failover between the URLs given, its key from
 * HEARTH_OPENAI_API_KEY or OPENAI_API_KEY. Local servers usually need no key; a placeholder is
 * sent then, and a server that wants one answers 401.
 */
export async function openChatModel(options: ChatModelOptions = {}): Promise<OpenedChatModel> {
  if (isRemoteModelSpec(options.model)) {
    const { model, baseURLs } = parseRemoteModelSpec(options.model);
    const env = options.env ?? process.env;
    const { OpenAICompatibleChatModel } = (await import(REMOTE_MODEL_MODULE)) as RemoteModelModule;
    const urls = baseURLs.length > 0 ? baseURLs : ["https://api.openai.com/v1"];
    const chat = new OpenAICompatibleChatModel({
      model,
      baseURLs: urls,
      apiKey: env.HEARTH_OPENAI_API_KEY || env.OPENAI_API_KEY || "no-key",
      temperature: 0,
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      // A dead server should fail over (or fail) now, not after the client's backoff retries.
      maxRetries: 0,
    });
    const source = `${model}@${urls.join(",")}`;
    return {
      chat,
      description: `${model} at ${urls.join(", ")}`,
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
    localPath: local.loaded.path,
    dispose: () => local.chat.dispose(),
  };
}
