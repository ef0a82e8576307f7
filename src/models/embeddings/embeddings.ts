import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import type { LlamaEmbeddingContext, LlamaModel, LlamaModelOptions, Token } from "node-llama-cpp";
import { embeddingCatalogEntry } from "../catalog/index.js";
import { loadModel, releaseModel, retainModel } from "../load/index.js";
import { contextThreads } from "../runtime/index.js";
import { DEFAULT_EMBEDDING_PLAN_CONTEXT } from "../select/index.js";
import { EmbeddingInputError } from "./errors.js";
import { type EmbeddingPoolingType, modelPooling } from "./pooling.js";
import { l2Normalize } from "./vectors.js";

/** Passages are short; a longer context costs memory (the whole input is one batch). */
export const DEFAULT_EMBEDDING_CONTEXT_SIZE = DEFAULT_EMBEDDING_PLAN_CONTEXT;

export interface HearthEmbeddingsInput extends EmbeddingsParams {
  /** A GGUF embedding model: a local path or an `hf:` URI (loaded once per process, shared). */
  modelPath?: string;
  /** An already loaded node-llama-cpp model (shared, not disposed by this instance). */
  model?: LlamaModel;
  /** Tokens one input may use, BOS/EOS included. Default: the trained context, at most 2048. */
  contextSize?: number;
  /**
   * Embedding contexts evaluating inputs side by side (default 1). node-llama-cpp evaluates one
   * input at a time per embedding context; each extra context holds its own buffers.
   */
  contexts?: number;
  /**
   * Inputs longer than the context: `false` (default) rejects the call with an
   * `EmbeddingInputError` naming the input; `true` embeds the first tokens that fit and marks the
   * result `truncated` (see `embedWithDetails`). Never cut silently.
   */
  truncate?: boolean;
  /** Scale every vector to unit length (default true), so cosine similarity is a dot product. */
  normalize?: boolean;
  gpuLayers?: LlamaModelOptions["gpuLayers"];
  /** Put before every query (`embedQuery`), as some models' cards ask ("search_query: "). */
  queryPrefix?: string;
  /** Put before every document (`embedDocuments`). */
  documentPrefix?: string;
}

export interface EmbeddingResult {
  embedding: number[];
  /** Tokens evaluated for this input, BOS/EOS included. */
  tokens: number;
  /** True when the input was longer than the context and only its start was embedded. */
  truncated: boolean;
}

export interface EmbeddingModelInfo {
  modelFile: string;
  dimensions: number;
  pooling: EmbeddingPoolingType;
  contextSize: number;
  /** Most tokens one input may have, BOS/EOS included. */
  maxInputTokens: number;
  trainContextSize: number;
}

interface EmbeddingRuntime {
  model: LlamaModel;
  ownsModel: boolean;
  contexts: LlamaEmbeddingContext[];
  info: EmbeddingModelInfo;
}

interface PreparedInput {
  tokens: Token[];
  length: number;
  truncated: boolean;
}

/**
 * LangChain `Embeddings` over node-llama-cpp's embedding context, in-process. The model's own
 * pooling (GGUF `pooling_type`: mean, CLS or last token) makes one vector per input; Hearth
 * normalises it to unit length. Every input of a call is tokenized and checked against the
 * context before any is evaluated, so a too-long input fails the call at once with its index and
 * what to do (or, with `truncate: true`, is cut and flagged). The model file is loaded once per
 * process and shared with chat models over the same file.
 */
export class HearthEmbeddings extends Embeddings {
  readonly modelPath?: string;
  readonly truncate: boolean;
  readonly normalize: boolean;
  /** Tokens evaluated so far (BOS/EOS included), across calls. */
  embeddedTokens = 0;
  private readonly options: HearthEmbeddingsInput;
  private runtime?: Promise<EmbeddingRuntime>;
  private next = 0;

  constructor(fields: HearthEmbeddingsInput) {
    super(fields);
    if (!fields.modelPath && !fields.model) {
      throw new Error(
        "HearthEmbeddings needs `modelPath` (a GGUF embedding model) or a loaded `model`.",
      );
    }
    for (const [key, least] of [
      ["contextSize", 2],
      ["contexts", 1],
    ] as const) {
      const value = fields[key];
      if (value !== undefined && (!Number.isInteger(value) || value < least)) {
        throw new Error(
          `HearthEmbeddings: ${key} must be an integer of at least ${least}, got ${value}.`,
        );
      }
    }
    this.options = fields;
    // A loaded model is named by its file, so indexes can tell which model made their vectors.
    this.modelPath = fields.modelPath ?? fields.model?.filename;
    this.truncate = fields.truncate ?? false;
    this.normalize = fields.normalize ?? true;
  }

  private ensureRuntime(): Promise<EmbeddingRuntime> {
    this.runtime ??= this.createRuntime().catch((error: unknown) => {
      this.runtime = undefined;
      throw error;
    });
    return this.runtime;
  }

  private async createRuntime(): Promise<EmbeddingRuntime> {
    let model = this.options.model;
    const ownsModel = model === undefined;
    if (!model) {
      model = (
        await loadModel(this.options.modelPath!, {
          gpuLayers: this.options.gpuLayers,
          contextSize: this.options.contextSize,
        })
      ).model;
      retainModel(model);
    }
    try {
      const contextSize = Math.min(
        this.options.contextSize ?? DEFAULT_EMBEDDING_CONTEXT_SIZE,
        model.trainContextSize,
      );
      const contexts: LlamaEmbeddingContext[] = [];
      for (let i = 0; i < (this.options.contexts ?? 1); i++) {
        contexts.push(
          await model.createEmbeddingContext({
            contextSize,
            // A pooled input must fit one batch (non-causal models attend over all of it).
            batchSize: contextSize,
            threads: contextThreads(model.size),
          }),
        );
      }
      return {
        model,
        ownsModel,
        contexts,
        info: {
          modelFile: model.filename ?? this.options.modelPath ?? "(in-memory model)",
          dimensions: model.embeddingVectorSize,
          pooling: modelPooling(model),
          contextSize,
          // node-llama-cpp refuses inputs of contextSize tokens or more.
          maxInputTokens: contextSize - 1,
          trainContextSize: model.trainContextSize,
        },
      };
    } catch (error) {
      if (ownsModel) await releaseModel(model);
      throw error;
    }
  }

  /** The model's vector size, pooling and token limits (loads the model on first use). */
  async info(): Promise<EmbeddingModelInfo> {
    return (await this.ensureRuntime()).info;
  }

  /** Tokens an input needs, BOS/EOS included. */
  async countTokens(text: string): Promise<number> {
    const runtime = await this.ensureRuntime();
    return runtime.contexts[0].calculateInputLength(runtime.model.tokenize(text));
  }

  private prepare(runtime: EmbeddingRuntime, text: string, index: number): PreparedInput {
    if (typeof text !== "string") {
      throw new TypeError(`Input ${index} is ${typeof text}, not a string.`);
    }
    if (text.length === 0) {
      throw new EmbeddingInputError(
        "empty",
        index,
        `Input ${index} is empty: there is nothing to embed. Leave empty texts out.`,
      );
    }
    const tokens = runtime.model.tokenize(text);
    const context = runtime.contexts[0];
    const length = context.calculateInputLength(tokens);
    const limit = runtime.info.maxInputTokens;
    if (length <= limit) return { tokens, length, truncated: false };
    if (!this.truncate) {
      throw new EmbeddingInputError(
        "too-long",
        index,
        `Input ${index} has ${length} tokens; this embedding context takes at most ${limit} (contextSize ${runtime.info.contextSize}, the model was trained on ${runtime.info.trainContextSize}). Split the text into smaller passages, raise contextSize, or pass truncate: true to embed only its first ${limit} tokens.`,
        length,
        limit,
      );
    }
    const specials = length - tokens.length;
    const kept = tokens.slice(0, limit - specials);
    return { tokens: kept, length: context.calculateInputLength(kept), truncated: true };
  }

  /** Vectors with the tokens each input used and whether it was truncated. */
  async embedWithDetails(texts: string[]): Promise<EmbeddingResult[]> {
    const runtime = await this.ensureRuntime();
    const prepared = texts.map((text, index) => this.prepare(runtime, text, index));
    const results: EmbeddingResult[] = new Array(prepared.length);
    let cursor = 0;
    // One worker per context pulls the next input; a context evaluates one input at a time.
    const worker = async (context: LlamaEmbeddingContext) => {
      while (cursor < prepared.length) {
        const index = cursor++;
        const input = prepared[index];
        const { vector } = await context.getEmbeddingFor(input.tokens);
        this.embeddedTokens += input.length;
        results[index] = {
          embedding: this.normalize ? l2Normalize(vector) : [...vector],
          tokens: input.length,
          truncated: input.truncated,
        };
      }
    };
    const start = this.next++ % runtime.contexts.length;
    const ordered = [...runtime.contexts.slice(start), ...runtime.contexts.slice(0, start)];
    await Promise.all(ordered.slice(0, Math.max(1, prepared.length)).map(worker));
    return results;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const prefix = this.options.documentPrefix ?? "";
    const texts = prefix ? documents.map((document) => prefix + document) : documents;
    return (await this.embedWithDetails(texts)).map((result) => result.embedding);
  }

  async embedQuery(document: string): Promise<number[]> {
    const prefix = this.options.queryPrefix ?? "";
    return (await this.embedWithDetails([prefix + document]))[0].embedding;
  }

  /**
   * An embedding model from EMBEDDING_CATALOG by id or name: its `hf:` file (downloaded once into
   * the models folder) and the query/document prefixes its card asks for.
   */
  static fromCatalog(
    id: string,
    options: Omit<HearthEmbeddingsInput, "modelPath" | "model"> = {},
  ): HearthEmbeddings {
    const entry = embeddingCatalogEntry(id);
    return new HearthEmbeddings({
      queryPrefix: entry.prefixes?.query,
      documentPrefix: entry.prefixes?.document,
      ...options,
      modelPath: entry.file.uri,
    });
  }

  /** Frees the embedding contexts (and the model, when this instance loaded it and nothing else uses it). */
  async dispose(): Promise<void> {
    const runtime = await this.runtime?.catch(() => undefined);
    this.runtime = undefined;
    if (!runtime) return;
    for (const context of runtime.contexts) await context.dispose();
    if (runtime.ownsModel) await releaseModel(runtime.model);
  }
}
