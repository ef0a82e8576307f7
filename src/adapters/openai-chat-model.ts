import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import { ChatOpenAI, type ChatOpenAIFields } from "@langchain/openai";

export interface OpenAICompatibleFields extends Omit<ChatOpenAIFields, "configuration"> {
  model: string;
  /**
   * Servers that serve `model`, tried in order: the first gets every call; a call it cannot
   * answer (unreachable, dropped connection, timeout, 429 or 5xx) goes to the next.
   */
  baseURLs: string[];
}

/** Failures another replica may not have; a 4xx says the request itself is wrong and stays. */
function isServerFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, status } = error as { name?: string; status?: unknown };
  if (name === "AbortError") return false;
  // The openai client's APIConnectionError keeps the generic name "Error"; its class says it.
  if (error.constructor?.name === "APIConnectionError" || name === "TimeoutError") return true;
  return typeof status === "number" && (status === 429 || status >= 500);
}

/** The error's message plus the deepest system error code under it (ECONNREFUSED, ECONNRESET…). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let code: string | undefined;
  for (let at: unknown = error, depth = 0; at && depth < 5; depth += 1) {
    const { code: own, cause } = at as { code?: unknown; cause?: unknown };
    if (typeof own === "string") code = own;
    at = cause;
  }
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * LangChain's `ChatOpenAI` against one or more OpenAI-compatible servers (vLLM, llama-server,
 * Ollama, `hearth serve`, OpenAI) serving the same model. Everything is ChatOpenAI's own
 * (`bindTools` with `tool_choice`, `withStructuredOutput` with `response_format: json_schema`,
 * streaming, usage); this adds failover between replicas and an error that names the server.
 * A load balancer in front of the servers does the same job; this is for when there is none.
 * A streamed call fails over only before its first chunk: a half-streamed answer is not redone.
 */
export class OpenAICompatibleChatModel extends ChatOpenAI {
  readonly baseURLs: string[];
  private readonly replicas: ChatOpenAI[];
  private readonly ownFields: OpenAICompatibleFields;

  constructor({ baseURLs, ...fields }: OpenAICompatibleFields) {
    if (baseURLs.length === 0)
      throw new Error("OpenAICompatibleChatModel needs at least one base URL.");
    super({ ...fields, configuration: { baseURL: baseURLs[0] } });
    this.baseURLs = baseURLs;
    this.ownFields = { ...fields, baseURLs };
    this.replicas = baseURLs
      .slice(1)
      .map((baseURL) => new ChatOpenAI({ ...fields, configuration: { baseURL } }));
  }

  /**
   * ChatOpenAI's `withConfig` (behind `bindTools` and `withStructuredOutput`) builds a new plain
   * ChatOpenAI; this keeps the bound copy an OpenAICompatibleChatModel with the same servers.
   */
  override withConfig(config: Partial<this["ParsedCallOptions"]>) {
    const bound = new OpenAICompatibleChatModel(this.ownFields);
    bound.defaultOptions = { ...this.defaultOptions, ...config };
    return bound as unknown as ReturnType<ChatOpenAI["withConfig"]>;
  }

  /** The same call on the first server (this model itself), then on each replica. */
  private onEachServer<T>(first: () => T, replica: (model: ChatOpenAI) => T): Array<() => T> {
    return [first, ...this.replicas.map((model) => () => replica(model))];
  }

  private failure(errors: Array<{ url: string; error: unknown }>): Error {
    const tried = errors.map(({ url, error }) => `${url}: ${describe(error)}`).join("; ");
    const many = errors.length > 1;
    return new Error(
      `The model server${many ? "s" : ""} for "${this.model}" could not answer (${tried}). ` +
        `Check that ${many ? "they are" : "it is"} running and reachable` +
        (many ? "." : ", or list replicas to fail over to: openai:<model>@<url1>,<url2>."),
      { cause: errors.at(-1)?.error },
    );
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const errors: Array<{ url: string; error: unknown }> = [];
    const attempts = this.onEachServer(
      () => super._generate(messages, options, runManager),
      (replica) => replica._generate(messages, options, runManager),
    );
    for (const [index, attempt] of attempts.entries()) {
      try {
        return await attempt();
      } catch (error) {
        if (!isServerFailure(error) || options.signal?.aborted) throw error;
        errors.push({ url: this.baseURLs[index], error });
      }
    }
    throw this.failure(errors);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const errors: Array<{ url: string; error: unknown }> = [];
    const streams = this.onEachServer(
      () => super._streamResponseChunks(messages, options, runManager),
      (replica) => replica._streamResponseChunks(messages, options, runManager),
    );
    for (const [index, open] of streams.entries()) {
      let started = false;
      try {
        for await (const chunk of open()) {
          started = true;
          yield chunk;
        }
        return;
      } catch (error) {
        if (started || !isServerFailure(error) || options.signal?.aborted) throw error;
        errors.push({ url: this.baseURLs[index], error });
      }
    }
    throw this.failure(errors);
  }
}
