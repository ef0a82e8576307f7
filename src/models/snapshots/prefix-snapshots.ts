import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  ChatWrapper,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { SnapshotCostModel } from "./cost-model.js";
import { defaultSnapshotsDir, type SnapshotKey, SnapshotStore } from "./snapshot-store.js";

export interface PrefixSnapshotOptions {
  /** Keep snapshots on disk for other processes (default true; false = within this context only). */
  disk?: boolean;
  /** Snapshot folder. Default $HEARTH_SNAPSHOTS_DIR or ~/.cache/hearth/snapshots. */
  dir?: string;
  /** The folder's size bound; least recently used snapshots go first. Default 2 GiB. */
  maxBytes?: number;
  /** Shorter prefixes are left to node-llama-cpp's own prefix reuse. Default 64 tokens. */
  minTokens?: number;
  /**
   * "measured" (default): restore from disk or save only where the cost model expects it to
   * pay. "always": restore and save every prefix of `minTokens` or more (tests, benchmarks).
   */
  policy?: "measured" | "always";
}

/** How a call's system + tools prefix got into its sequence. */
export type PrefixOutcome = "held" | "copied" | "restored" | "evaluated" | "short" | "none";

export interface PrefixSnapshotStats {
  held: number;
  copied: number;
  restored: number;
  evaluated: number;
  saved: number;
  /** Snapshots that failed their checks or their load and were dropped. */
  rejected: number;
}

/** The part of a call that renders into its prefix: the system message and the documented tools. */
export interface PrefixSource {
  history: readonly ChatHistoryItem[];
  functions?: ChatModelFunctions;
  chatWrapper: ChatWrapper;
}

const DEFAULT_MAX_BYTES = 2 * 2 ** 30;
const DEFAULT_MIN_TOKENS = 64;
const RENDER_CACHE_LIMIT = 64;
// The format of this module's keys; bump it when what a key covers changes.
const KEY_FORMAT = 1;

/** Bytes of F16 KV cache per token position (keys and values, every layer). */
export function kvBytesPerToken(model: LlamaModel): number {
  const meta = model.fileInfo.architectureMetadata as {
    block_count?: number;
    attention?: { head_count_kv?: number | number[]; key_length?: number; value_length?: number };
  };
  const heads = Array.isArray(meta.attention?.head_count_kv)
    ? Math.max(...meta.attention.head_count_kv)
    : (meta.attention?.head_count_kv ?? 0);
  const keyLength = meta.attention?.key_length ?? 0;
  const valueLength = meta.attention?.value_length ?? keyLength;
  return (meta.block_count ?? 0) * heads * (keyLength + valueLength) * 2;
}

function sharedLength(a: readonly Token[], b: readonly Token[]): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

type CopyingSequence = LlamaContextSequence & {
  _copyStateFromOtherSequence?: (other: LlamaContextSequence, upTo: number) => Promise<boolean>;
};

/**
 * Makes a call's system + tools prefix present in its sequence before the call runs, the
 * cheapest way available:
 * 1. the sequence already holds it (node-llama-cpp reuses it by itself);
 * 2. another sequence of the context holds it: llama.cpp copies the KV cells within the
 *    context (node-llama-cpp's `_copyStateFromOtherSequence`, which its own decision contexts
 *    use; not public, so it is feature-checked and the disk path remains when it is missing);
 * 3. a snapshot on disk from an earlier run or another process, when the cost model says
 *    reading it beats evaluating;
 * 4. else the prefix is evaluated alone and, when a later restore would be worth it, saved.
 * Every path is safe by construction: LlamaChat compares the sequence's tokens with the
 * prompt and evaluates whatever differs, so a prefix rendered slightly differently from the
 * real prompt costs time, never correctness.
 */
export class PrefixSnapshots {
  readonly stats: PrefixSnapshotStats = {
    held: 0,
    copied: 0,
    restored: 0,
    evaluated: 0,
    saved: 0,
    rejected: 0,
  };
  readonly cost: SnapshotCostModel;
  readonly store: SnapshotStore | undefined;
  private readonly minTokens: number;
  private readonly always: boolean;
  private readonly rendered = new Map<string, Token[]>();
  /** Prefixes being evaluated now, by their tokens: concurrent calls wait and copy instead. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private modelIdentity: Promise<SnapshotKey | undefined> | undefined;

  constructor(
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly settings: { modelFile?: string; gpu: string; llamaCpp: string },
    options: PrefixSnapshotOptions = {},
  ) {
    this.cost = new SnapshotCostModel(kvBytesPerToken(model));
    this.minTokens = options.minTokens ?? DEFAULT_MIN_TOKENS;
    this.always = options.policy === "always";
    this.store =
      options.disk === false || !settings.modelFile
        ? undefined
        : new SnapshotStore(
            options.dir ?? defaultSnapshotsDir(),
            options.maxBytes ?? DEFAULT_MAX_BYTES,
          );
  }

  /**
   * The tokens every prompt with this system message and these tools starts with: the
   * rendering of [system, user] for two different user texts, up to where they differ.
   */
  prefixTokens(source: PrefixSource): Token[] {
    const system = source.history[0]?.type === "system" ? [source.history[0]] : [];
    const cacheKey = JSON.stringify([
      source.chatWrapper.wrapperName,
      system,
      source.functions ?? null,
    ]);
    const cached = this.rendered.get(cacheKey);
    if (cached) return cached;
    const render = (text: string) =>
      source.chatWrapper
        .generateContextState({
          chatHistory: [...system, { type: "user", text }, { type: "model", response: [] }],
          availableFunctions: source.functions,
          documentFunctionParams: source.functions ? true : undefined,
        })
        .contextText.tokenize(this.model.tokenizer);
    const a = render("A");
    const tokens = a.slice(0, sharedLength(a, render("B")));
    if (this.rendered.size >= RENDER_CACHE_LIMIT) {
      this.rendered.delete(this.rendered.keys().next().value as string);
    }
    this.rendered.set(cacheKey, tokens);
    return tokens;
  }

  /** Puts the prefix of `source` into `sequence` (see the class comment); `others` may hold it. */
  async prepare(
    sequence: LlamaContextSequence,
    others: readonly LlamaContextSequence[],
    source: PrefixSource,
  ): Promise<PrefixOutcome> {
    const tokens = this.prefixTokens(source);
    if (tokens.length < this.minTokens) return "short";
    const held = sharedLength(sequence.contextTokens, tokens);
    if (held === tokens.length) {
      this.stats.held++;
      return "held";
    }
    const flightKey = tokens.join(",");
    const pending = this.inFlight.get(flightKey);
    if (pending) await pending.catch(() => {});
    if (await this.copyFromSibling(sequence, others, tokens)) {
      this.stats.copied++;
      return "copied";
    }
    let finish: () => void = () => {};
    const flight = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.inFlight.set(flightKey, flight);
    try {
      return await this.restoreOrEvaluate(sequence, tokens, held);
    } finally {
      if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
      finish();
    }
  }

  private async restoreOrEvaluate(
    sequence: LlamaContextSequence,
    tokens: Token[],
    held: number,
  ): Promise<PrefixOutcome> {
    const key = this.store ? await this.keyFor(tokens) : undefined;
    if (
      key &&
      (this.always ||
        this.cost.restoreBeatsEvaluate(
          tokens.length - held,
          this.cost.snapshotBytes(tokens.length),
        )) &&
      (await this.restore(sequence, key, tokens))
    ) {
      this.stats.restored++;
      return "restored";
    }
    const fromHere = sharedLength(sequence.contextTokens, tokens);
    if (fromHere < sequence.nextTokenIndex) {
      await sequence.eraseContextTokenRanges([{ start: fromHere, end: sequence.nextTokenIndex }]);
    }
    const started = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(fromHere));
    this.cost.observeEvaluate(tokens.length - fromHere, performance.now() - started);
    this.stats.evaluated++;
    if (key && this.store && (this.always || this.cost.saveWorthwhile(tokens.length))) {
      const saved = await this.store.save(key, tokens.length, async (file) => {
        await sequence.saveStateToFile(file);
      });
      if (saved) this.stats.saved++;
    }
    return "evaluated";
  }

  private async copyFromSibling(
    sequence: CopyingSequence,
    others: readonly LlamaContextSequence[],
    tokens: Token[],
  ): Promise<boolean> {
    if (typeof sequence._copyStateFromOtherSequence !== "function") return false;
    const source = others.find(
      (other) => other !== sequence && sharedLength(other.contextTokens, tokens) === tokens.length,
    );
    if (!source) return false;
    try {
      if (await sequence._copyStateFromOtherSequence(source, tokens.length)) {
        return sharedLength(sequence.contextTokens, tokens) === tokens.length;
      }
    } catch {
      // Fall through to a clean slate below.
    }
    await sequence.clearHistory();
    return false;
  }

  private async restore(
    sequence: LlamaContextSequence,
    key: SnapshotKey,
    tokens: Token[],
  ): Promise<boolean> {
    const store = this.store;
    if (!store) return false;
    const started = performance.now();
    const entry = await store.lookup(key);
    if (!entry) return false;
    try {
      // acceptRisk: the key pins the model file (path, size, mtime, header hash), the context
      // settings and the llama.cpp build, and the file passed its size and checksum checks.
      await sequence.loadStateFromFile(entry.file, { acceptRisk: true });
      if (sharedLength(sequence.contextTokens, tokens) === tokens.length) {
        this.cost.observeRestore(entry.bytes, performance.now() - started);
        return true;
      }
    } catch {
      // A state llama.cpp refuses (e.g. written by a different build): dropped below.
    }
    this.stats.rejected++;
    await sequence.clearHistory();
    await store.discard(key);
    return false;
  }

  /** Everything a KV state depends on, ending with the exact prefix tokens. */
  async keyFor(tokens: Token[]): Promise<SnapshotKey | undefined> {
    this.modelIdentity ??= this.identifyModel();
    const identity = await this.modelIdentity;
    if (!identity) return undefined;
    const context = this.context;
    return {
      ...identity,
      format: KEY_FORMAT,
      llamaCpp: this.settings.llamaCpp,
      gpu: this.settings.gpu,
      contextSize: context.contextSize,
      batchSize: context.batchSize,
      flashAttention: String(context.flashAttention),
      kvKeyType: String(context.kvCacheKeyType),
      kvValueType: String(context.kvCacheValueType),
      prefixTokens: tokens.length,
      prefixHash: createHash("sha256")
        .update(new Uint8Array(Uint32Array.from(tokens).buffer))
        .digest("hex"),
    };
  }

  private async identifyModel(): Promise<SnapshotKey | undefined> {
    const file = this.settings.modelFile;
    if (!file) return undefined;
    try {
      const resolved = path.resolve(file);
      const info = await stat(resolved);
      // The header (metadata, tensor layout) and the first weights: a rewritten file with the
      // same size and a preserved mtime still differs here.
      const handle = await open(resolved, "r");
      const head = Buffer.alloc(Math.min(info.size, 1 << 20));
      try {
        await handle.read(head, 0, head.length, 0);
      } finally {
        await handle.close();
      }
      return {
        modelFile: resolved,
        modelBytes: info.size,
        modelMtimeMs: Math.round(info.mtimeMs),
        modelHead: createHash("sha256").update(head).digest("hex"),
      };
    } catch {
      return undefined;
    }
  }
}
