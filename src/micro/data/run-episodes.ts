import { HumanMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import { createAgentGraph } from "../../graph/index.js";
import { EpisodeTools } from "./episode-tools.js";
import type { Episode, ToolName } from "./episodes.js";
import { type Step, TurnOracle } from "./oracle.js";
import type { Split } from "./phrasings.js";
import { type RecordedCall, RecordingChatModel } from "./recorder.js";

export interface EpisodeExample {
  episode: string;
  split: Split;
  /** What the prompt's shared prefix depends on: the system prompt and the tool set. */
  group: string;
  step: Step;
  prompt: number[];
  promptText: string;
  target: number[];
  targetText: string;
  call?: RecordedCall["call"];
}

export interface EpisodeRunnerOptions {
  /** A GGUF whose tokenizer and chat template the prompts are rendered with. */
  modelPath: string;
  /** The folder search_documents reads (examples/docs). */
  docsFolder: string;
  /** Default: the model's own (as `hearth ask` gets it): the graph's trimming and result cap follow it. */
  contextSize?: number;
  /** Keep each call's LangChain messages and options on its example (tests). */
  keepCalls?: boolean;
}

/**
 * Runs episodes through the real agent graph (createAgentGraph, the built-in tools run for
 * real) on a RecordingChatModel, and returns one example per model call.
 */
export class EpisodeRunner {
  readonly model: RecordingChatModel;
  private readonly graphs = new Map<string, ReturnType<typeof createAgentGraph>>();
  private readonly checkpointer = new MemorySaver();
  private readonly toolbox: EpisodeTools;

  constructor(options: EpisodeRunnerOptions) {
    this.model = new RecordingChatModel({
      modelPath: options.modelPath,
      contextSize: options.contextSize,
    });
    this.model.keepCalls = options.keepCalls === true;
    this.toolbox = new EpisodeTools(options.docsFolder);
  }

  /** The tools of a set, in builtinTools' order. */
  tools(names: readonly ToolName[]) {
    return this.toolbox.pick(names);
  }

  private graph(episode: Episode) {
    const key = groupKey(episode);
    let graph = this.graphs.get(key);
    if (!graph) {
      graph = createAgentGraph({
        model: this.model,
        tools: this.tools(episode.tools),
        systemPrompt: episode.systemPrompt,
        checkpointer: this.checkpointer,
      });
      this.graphs.set(key, graph);
    }
    return graph;
  }

  async run(episode: Episode): Promise<EpisodeExample[]> {
    const graph = this.graph(episode);
    this.toolbox.setClock(episode.now);
    const examples: EpisodeExample[] = [];
    try {
      for (const turn of episode.turns) {
        this.model.turn = new TurnOracle(turn);
        this.model.calls.length = 0;
        await graph.invoke(
          { messages: [new HumanMessage(turn.question)] },
          { configurable: { thread_id: episode.id } },
        );
        for (const call of this.model.calls) {
          examples.push({
            episode: episode.id,
            split: episode.split,
            group: groupKey(episode),
            step: call.step,
            prompt: call.prompt.tokens,
            promptText: call.prompt.text,
            target: call.target.tokens,
            targetText: call.target.text,
            call: call.call,
          });
        }
      }
    } finally {
      this.model.turn = undefined;
      await this.checkpointer.deleteThread(episode.id);
    }
    return examples;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

export function groupKey(episode: Pick<Episode, "systemPrompt" | "tools">): string {
  return JSON.stringify([episode.systemPrompt, episode.tools]);
}
