import type { AIMessage } from "@langchain/core/messages";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { DEFAULT_SYSTEM_PROMPT } from "../graph/index.js";
import { messagesToChatHistory } from "../models/chat/index.js";
import { jumpForwardToolCall } from "../models/chat/jump-forward.js";
import { documentOnlyWrapper } from "../models/chat/wrapper-modes.js";
import { compileTools } from "../tools/index.js";
import type { BenchContext } from "./context.js";
import { grammarBenchTools } from "./fixtures.js";
import { ms } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

const TRIALS = 3;

interface Timed {
  ms: number;
  tokens: number;
}

function metadataOf(message: AIMessage): { outputTokens: number; totalMs: number } {
  const metadata = message.response_metadata as {
    outputTokens: number;
    timings: { totalMs: number };
  };
  return { outputTokens: metadata.outputTokens, totalMs: metadata.timings.totalMs };
}

const best = (runs: Timed[]) => runs.reduce((a, b) => (b.tokens / b.ms > a.tokens / a.ms ? b : a));

/**
 * P3: tokens/s of a tool call generated under the tools' grammar ÷ tokens/s of unconstrained
 * text from the same prompt (same rendered prompt, cached; same number of tokens), at the
 * model's vocabulary. Next to it, jump-forward decoding called bare (src/models/chat/jump-forward.ts) on the same
 * prompt, counted in the call's own tokens. Interleaved trials, best of each.
 */
export async function benchGrammar(context: BenchContext): Promise<BenchRow[]> {
  const { chat, runtime } = context;
  const messages = [
    new SystemMessage(DEFAULT_SYSTEM_PROMPT),
    new HumanMessage("What is the weather in Paris, in celsius?"),
  ];
  const forced = chat.bindTools(grammarBenchTools, { tool_choice: "required" });
  const free = chat.bindTools(grammarBenchTools, { tool_choice: "none" });
  const set = compileTools(grammarBenchTools);
  const history = messagesToChatHistory(messages, {
    toModelName: (name) => set.modelNameFromTool(name) ?? name,
  });
  const wrapper = documentOnlyWrapper(runtime.chatWrapper, set.functions);
  const fingerprint = ["hearth-bench-jump-forward"];

  const grammarRuns: Timed[] = [];
  const freeRuns: Timed[] = [];
  const jumpRuns: Array<Timed & { sampled: number; forced: number }> = [];
  let grammarCall = "";
  let jumpCall = "";
  let callTokens = 0;
  for (let trial = 0; trial <= TRIALS; trial++) {
    const call = (await forced.invoke(messages, { maxTokens: 200 } as never)) as AIMessage;
    const callMeta = metadataOf(call);
    const text = (await free.invoke(messages, {
      maxTokens: callMeta.outputTokens,
    } as never)) as AIMessage;
    const freeMeta = metadataOf(text);
    const lease = await runtime.pool.acquire(fingerprint);
    const started = performance.now();
    let jump: Awaited<ReturnType<typeof jumpForwardToolCall>>;
    try {
      jump = await jumpForwardToolCall({
        llama: runtime.llama,
        model: runtime.model,
        sequence: lease.sequence,
        chatWrapper: wrapper,
        history,
        tools: set,
      });
    } finally {
      runtime.pool.release(lease, fingerprint);
    }
    const jumpMs = performance.now() - started;
    const resolved = call.tool_calls?.[0];
    grammarCall = JSON.stringify(resolved ? { name: resolved.name, args: resolved.args } : null);
    const parsed = JSON.parse(jump.text) as { name: string; arguments: unknown };
    jumpCall = JSON.stringify({
      name: set.toolNameFromModel(parsed.name) ?? parsed.name,
      args: parsed.arguments,
    });
    callTokens = runtime.model.tokenize(jump.text).length;
    if (trial === 0) continue; // warm-up: prompt into the caches, grammars built
    grammarRuns.push({ ms: callMeta.totalMs, tokens: callMeta.outputTokens });
    freeRuns.push({ ms: freeMeta.totalMs, tokens: freeMeta.outputTokens });
    jumpRuns.push({
      ms: jumpMs,
      tokens: callTokens,
      sampled: jump.sampledTokens,
      forced: jump.forcedTokens,
    });
  }
  const g = best(grammarRuns);
  const f = best(freeRuns);
  const j = best(jumpRuns) as (typeof jumpRuns)[number];
  const freeRate = (f.tokens / f.ms) * 1000;
  const grammarRate = (g.tokens / g.ms) * 1000;
  const jumpRate = (j.tokens / j.ms) * 1000;
  const vocabulary = context.model.vocabularySize.toLocaleString("en-US");
  return [
    row({
      id: "P3",
      name: "P3 grammar cost, one grammar for the whole call (jumpForward: false)",
      ratioOf: "tok/s of a grammar-forced tool call ÷ tok/s unconstrained (same prompt)",
      ratio: ratioOf(grammarRate, freeRate),
      goal: { op: ">=", value: 0.9 },
      figures: {
        grammarTokens: g.tokens,
        grammarMs: ms(g.ms),
        grammarTokPerS: ms(grammarRate),
        freeTokens: f.tokens,
        freeMs: ms(f.ms),
        freeTokPerS: ms(freeRate),
        callTokensCanonical: callTokens,
        perCallTokenRatio: ratioOf((callTokens / g.ms) * 1000, freeRate),
      },
      notes: [
        `vocabulary ${vocabulary}; best of ${TRIALS} interleaved trials; call: ${grammarCall}`,
        'greedy sampling under the grammar spells fixed text in small tokens ("n","am","e"): the call\'s canonical tokenization is shorter',
      ],
    }),
    row({
      id: "P3",
      name: "P3 grammar cost, jump-forward (ChatNodeLlamaCpp's default for a forced call)",
      ratioOf: "call tokens/s with fixed text evaluated unsampled ÷ tok/s unconstrained",
      ratio: ratioOf(jumpRate, freeRate),
      goal: { op: ">=", value: 0.9 },
      figures: {
        callTokens: j.tokens,
        forcedTokens: j.forced,
        sampledTokens: j.sampled,
        jumpMs: ms(j.ms),
        callTokPerS: ms(jumpRate),
        speedupOverForcedCall: ratioOf(g.ms, j.ms),
        sameCallAsForced: jumpCall === grammarCall,
      },
      notes: [
        "src/models/chat/jump-forward.ts (what ChatNodeLlamaCpp uses for a forced single call): envelope, keys and punctuation appended as input tokens; each value sampled under its own grammar narrowed to the chosen tool; an enum stops being sampled once its prefix is unique",
      ],
    }),
  ];
}
