import { HumanMessage, type ToolMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { MemorySaver } from "@langchain/langgraph";
import { createAgentGraph, summarizeRun } from "../graph/index.js";
import type { CallPlan } from "../models/chat/call-plan.js";
import { ChatNodeLlamaCpp } from "../models/chat/chat-model.js";
import { type Generation, generate, type ResolvedSampling } from "../models/chat/generate.js";
import type { ChatRuntime } from "../models/chat/runtime.js";
import { evaluateExpression, type SearchHit } from "../tools/builtins/index.js";
import { EpisodeTools } from "./data/episode-tools.js";
import {
  DOC_FACTS,
  type Episode,
  planEpisodes,
  RecordingChatModel,
  readTime,
  type Split,
  TurnOracle,
  type TurnPlan,
  type Verdict,
} from "./data/index.js";
import { latestToolResult, stepOf } from "./data/recorder.js";

export interface MicroScore {
  right: number;
  total: number;
}

/** Hearth Micro's semantic scores on planned episodes, each as right / total. */
export interface MicroScores {
  /** The route decision matches the question's kind (tools or direct). */
  route: MicroScore;
  /** The first call is calculator, and its expression evaluates to the question's value. */
  calculator: MicroScore;
  /** The first call is search_documents, and its query retrieves the fact's document first. */
  search: MicroScore;
  /** The first call is current_time with the place's IANA zone. */
  timezone: MicroScore;
  /** The final answer contains what the tool returned (the number, the clock time, the passage's evidence). */
  answer: MicroScore;
  /** The verdict on the oracle's drafts (right ones, and wrong ones the validator must reject) passes or fails as it should. */
  verdict: MicroScore;
  /** Of those verdicts, the ones on wrong drafts: the validator rejects them (a rubber stamp scores 0). */
  rejection: MicroScore;
  /** The first misses of each score, for people reading a failure. */
  misses: string[];
}

export interface MicroScoreOptions {
  modelPath: string;
  docsFolder: string;
  split?: Split;
  seed: number;
  /** Episodes run through the whole graph on the model. */
  episodes: number;
  /** Episodes whose verdicts are checked (drafts from the oracle, verdicts from the model). */
  verdictEpisodes?: number;
  contextSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const MAX_MISSES = 8;

/** A miss's description, shortened: a looping model's output would fill the screen. */
function clip(text: string): string {
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

class Tally {
  readonly scores: Omit<MicroScores, "misses"> = {
    route: { right: 0, total: 0 },
    calculator: { right: 0, total: 0 },
    search: { right: 0, total: 0 },
    timezone: { right: 0, total: 0 },
    answer: { right: 0, total: 0 },
    verdict: { right: 0, total: 0 },
    rejection: { right: 0, total: 0 },
  };
  readonly misses: string[] = [];
  private readonly missesOf = new Map<string, number>();

  add(score: keyof Tally["scores"], right: boolean, what: () => string): void {
    this.scores[score].total++;
    if (right) {
      this.scores[score].right++;
      return;
    }
    const count = this.missesOf.get(score) ?? 0;
    if (count < MAX_MISSES) this.misses.push(`${score}: ${clip(what())}`);
    this.missesOf.set(score, count + 1);
  }
}

function sameValue(expression: unknown, expected: unknown): boolean {
  try {
    return evaluateExpression(String(expression)) === evaluateExpression(String(expected));
  } catch {
    return false;
  }
}

async function firstHitSource(
  search: StructuredToolInterface,
  query: unknown,
): Promise<string | undefined> {
  const message = (await search.invoke({
    type: "tool_call",
    id: "check",
    name: "search_documents",
    args: { query: String(query) },
  })) as ToolMessage;
  return ((message.artifact ?? []) as SearchHit[])[0]?.source;
}

/**
 * Text compared without case or Markdown code marks: the documents write "without `eval`", an
 * answer in plain words "without eval", and both say the same.
 */
export function asPlainText(text: string): string {
  return text.replaceAll("`", "").toLowerCase();
}

/** What an answer must contain to use the tool's result, or undefined when nothing checkable came back. */
function resultEvidence(plan: TurnPlan, name: string, result: string): string | undefined {
  if (name === "calculator" && /^-?[\d.]+$/.test(result.trim())) return result.trim();
  if (name === "current_time") {
    try {
      return readTime(result).clock;
    } catch {
      return undefined;
    }
  }
  if (name === "search_documents") {
    const fact = DOC_FACTS.find((f) => f.query === plan.call?.args.query);
    return fact && result.includes(fact.evidence) ? fact.evidence : undefined;
  }
  return undefined;
}

/**
 * Runs planned episodes (held-out wordings by default) through the real agent graph on the
 * model, with the real built-in tools, and scores what the semantic tests measure.
 */
export async function scoreMicro(options: MicroScoreOptions): Promise<MicroScores> {
  const split = options.split ?? "heldout";
  const tally = new Tally();
  const episodes = planEpisodes({ split, seed: options.seed, count: options.episodes });
  const verdictEpisodes = planEpisodes({
    split,
    seed: options.seed + 1,
    count: options.verdictEpisodes ?? 0,
  });
  const total = episodes.length + verdictEpisodes.length;
  const toolbox = new EpisodeTools(options.docsFolder);
  let done = 0;
  const chat = new ChatNodeLlamaCpp({
    modelPath: options.modelPath,
    contextSize: options.contextSize,
  });
  try {
    await runGraphEpisodes(chat, episodes, toolbox, tally, () =>
      options.onProgress?.(++done, total),
    );
  } finally {
    await chat.dispose();
  }
  if (verdictEpisodes.length > 0) {
    const probe = new VerdictProbe({
      modelPath: options.modelPath,
      contextSize: options.contextSize,
    });
    try {
      await runVerdictEpisodes(probe, verdictEpisodes, toolbox, tally, () =>
        options.onProgress?.(++done, total),
      );
    } finally {
      await probe.dispose();
    }
  }
  return { ...tally.scores, misses: tally.misses };
}

type GraphState = Awaited<ReturnType<ReturnType<typeof createAgentGraph>["invoke"]>>;

/**
 * Each turn of each episode through the real graph on `model`, in the episode's own thread, with
 * its system prompt, tools and clock; `turn` runs it (`ask`) and scores what came back.
 */
async function forEachTurn(
  model: ChatNodeLlamaCpp,
  episodes: Episode[],
  toolbox: EpisodeTools,
  progress: () => void,
  turn: (plan: TurnPlan, ask: () => Promise<GraphState>) => Promise<void>,
): Promise<void> {
  const checkpointer = new MemorySaver();
  for (const episode of episodes) {
    toolbox.setClock(episode.now);
    const graph = createAgentGraph({
      model,
      tools: toolbox.pick(episode.tools),
      systemPrompt: episode.systemPrompt,
      checkpointer,
    });
    for (const plan of episode.turns) {
      await turn(plan, () =>
        graph.invoke(
          { messages: [new HumanMessage(plan.question)] },
          { configurable: { thread_id: episode.id } },
        ),
      );
    }
    await checkpointer.deleteThread(episode.id);
    progress();
  }
}

async function runGraphEpisodes(
  chat: ChatNodeLlamaCpp,
  episodes: Episode[],
  toolbox: EpisodeTools,
  tally: Tally,
  progress: () => void,
): Promise<void> {
  const search = toolbox.get("search_documents");
  await forEachTurn(chat, episodes, toolbox, progress, async (plan, ask) => {
    const run = summarizeRun(await ask());
    const said = `"${plan.question}"`;
    tally.add(
      "route",
      run.route?.route === plan.route.route,
      () => `${said} routed ${run.route?.route}`,
    );
    if (!plan.call) return;
    const first = run.toolCalls[0];
    const args = JSON.stringify(first?.args);
    const called = first?.name === plan.call.name;
    if (plan.call.name === "calculator") {
      tally.add(
        "calculator",
        called && sameValue(first.args.expression, plan.call.args.expression),
        () => `${said} → ${first?.name} ${args}`,
      );
    } else if (plan.call.name === "current_time") {
      tally.add(
        "timezone",
        called && first.args.timezone === plan.call.args.timezone,
        () => `${said} → ${first?.name} ${args} (expected ${plan.call?.args.timezone})`,
      );
    } else {
      const fact = DOC_FACTS.find((f) => f.query === plan.call?.args.query);
      const source = called ? await firstHitSource(search, first.args.query) : undefined;
      tally.add(
        "search",
        source !== undefined && source === fact?.source,
        () => `${said} → ${first?.name} ${args} (first hit ${source}, expected ${fact?.source})`,
      );
    }
    if (first && first.status === "success") {
      const evidence = resultEvidence(plan, first.name, first.result);
      if (evidence !== undefined) {
        tally.add(
          "answer",
          asPlainText(run.answer).includes(asPlainText(evidence)),
          () => `${said}: "${run.answer}" lacks "${evidence}"`,
        );
      }
    }
  });
}

/**
 * The oracle answers every step but the validator's, which the model decodes for real: the
 * drafts it judges are the oracle's (right ones, and the wrong ones planned for some turns), so
 * its verdicts can be scored against the oracle's.
 */
class VerdictProbe extends RecordingChatModel {
  readonly verdicts: Array<{ expected: Verdict; text: string }> = [];

  protected override async runCall(
    runtime: ChatRuntime,
    plan: CallPlan,
    sampling: ResolvedSampling,
    io?: {
      signal?: AbortSignal;
      onText?: (text: string) => void;
      onCallText?: (text: string) => void;
    },
  ): Promise<Generation> {
    if (stepOf(plan) !== "verdict" || !this.turn) {
      return super.runCall(runtime, plan, sampling);
    }
    const expected = this.turn.respond("verdict", latestToolResult(plan.history));
    const generation = await generate(
      runtime,
      plan,
      sampling,
      io?.signal,
      io?.onText,
      io?.onCallText,
    );
    this.verdicts.push({
      expected: (expected as unknown as { value: Verdict }).value,
      text: generation.text,
    });
    return generation;
  }
}

async function runVerdictEpisodes(
  probe: VerdictProbe,
  episodes: Episode[],
  toolbox: EpisodeTools,
  tally: Tally,
  progress: () => void,
): Promise<void> {
  await forEachTurn(probe, episodes, toolbox, progress, async (plan, ask) => {
    probe.turn = new TurnOracle(plan);
    probe.calls.length = 0;
    probe.verdicts.length = 0;
    await ask();
    probe.turn = undefined;
    for (const { expected, text } of probe.verdicts) {
      let passed: boolean | undefined;
      try {
        const verdict = JSON.parse(text) as Partial<Verdict>;
        passed = verdict.grounded === true && verdict.complete === true;
      } catch {
        passed = undefined;
      }
      const shouldPass = expected.grounded && expected.complete;
      tally.add(
        "verdict",
        passed === shouldPass,
        () => `"${plan.question}": expected ${shouldPass ? "pass" : "fail"}, got ${text}`,
      );
      if (!shouldPass) {
        tally.add("rejection", passed === false, () => `"${plan.question}": got ${text}`);
      }
    }
  });
}
