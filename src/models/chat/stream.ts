import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessageChunk, type ToolCallChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import type { CompiledTool, CompiledToolSet } from "../../tools/index.js";
import { type CallResult, messageFields, newToolCallId } from "./interpret.js";
import { ToolCallStreamParser } from "./tool-call-stream.js";

/** Where a running call reports what it generates: reply text, or forced calls' JSON. */
export interface GenerationSink {
  onText(text: string): void;
  /** The JSON text of forced tool calls as it is generated, with the tool set it calls into. */
  onCallText(text: string, tools: CompiledToolSet): void;
}

export interface StreamSettings {
  /** The id every chunk of this message carries (LangChain merges chunks by it). */
  id: string;
  /** `false`: no usage_metadata in the closing chunk. */
  streamUsage: boolean;
}

type Piece = { text: string; tools?: CompiledToolSet };

/** Whether any object in a schema has a property it does not require. */
function hasOptionalProperty(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasOptionalProperty);
  if (typeof value !== "object" || value === null) return false;
  const node = value as Record<string, unknown>;
  if (typeof node.properties === "object" && node.properties !== null) {
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    if (Object.keys(node.properties).some((key) => !required.has(key))) return true;
  }
  return Object.values(node).some(hasOptionalProperty);
}

/**
 * A tool whose arguments reach the caller exactly as the model writes them: no optional property
 * (the grammar writes a null for a left-out one, removed afterwards) and no type/enum repair
 * (converted afterwards). Its argument text can be streamed as generated; any other tool's
 * arguments are sent once checked, so the aggregated stream always equals what `invoke` returns.
 */
const verbatimArguments = new WeakMap<CompiledTool, boolean>();
function argumentsVerbatim(tool: CompiledTool): boolean {
  let verbatim = verbatimArguments.get(tool);
  if (verbatim === undefined) {
    verbatim = tool.repairs.length === 0 && !hasOptionalProperty(tool.jsonSchema);
    verbatimArguments.set(tool, verbatim);
  }
  return verbatim;
}

function callChunk(id: string, chunks: ToolCallChunk[]): ChatGenerationChunk {
  const message = new AIMessageChunk({ id, content: "", tool_call_chunks: chunks });
  // A piece of a call is not an invalid call: LangChain would read unparseable partial
  // arguments as one. Invalid calls are reported once, on the closing chunk.
  message.invalid_tool_calls = [];
  return new ChatGenerationChunk({ text: "", message });
}

/**
 * Bridges generation callbacks to LangChain's chunk generator: reply text as it comes; for forced
 * calls, a tool-call chunk with each call's id and name as soon as the name is written, then its
 * arguments' text as generated (see `argumentsVerbatim`); then one closing chunk with what only
 * the end knows (the rest of the calls, usage, stop reason), so the aggregated stream equals what
 * `invoke` returns. Every piece of generated text, forced calls' JSON included, reaches
 * `handleLLMNewToken`.
 */
export async function* streamCall(
  run: (sink: GenerationSink) => Promise<CallResult>,
  runManager: CallbackManagerForLLMRun | undefined,
  settings: StreamSettings,
): AsyncGenerator<ChatGenerationChunk> {
  const queue: Piece[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  let final: CallResult | undefined;
  const running = run({
    onText: (text) => {
      queue.push({ text });
      wake?.();
    },
    onCallText: (text, tools) => {
      queue.push({ text, tools });
      wake?.();
    },
  }).then(
    (result) => {
      final = result;
    },
    (error: unknown) => {
      failure = error;
    },
  );
  void running.finally(() => {
    finished = true;
    wake?.();
  });
  const reportToken = (text: string, chunk: ChatGenerationChunk) =>
    runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, { chunk });
  const parser = new ToolCallStreamParser();
  // Reply text sent so far: the final content's rest (text held back while it might have been a
  // native call, see native-call-hold.ts) goes out with the closing chunk.
  let sentText = "";
  const started = new Map<number, { id: string; verbatim: boolean }>();
  // Calls whose arguments came before their name (Hermes' order): sent once checked, at the end.
  const argumentsFirst = new Set<number>();
  while (true) {
    while (queue.length > 0) {
      const piece = queue.shift()!;
      if (!piece.tools) {
        sentText += piece.text;
        const chunk = new ChatGenerationChunk({
          text: piece.text,
          message: new AIMessageChunk({ id: settings.id, content: piece.text }),
        });
        yield chunk;
        await reportToken(piece.text, chunk);
        continue;
      }
      // One chunk entry per call: LangChain merges a later chunk's entry into the first one with
      // the same index, so two entries for one call in one chunk would come apart.
      const byIndex = new Map<number, ToolCallChunk>();
      for (const event of parser.push(piece.text)) {
        if (event.type === "name") {
          const name = piece.tools.toolNameFromModel(event.name) ?? event.name;
          const tool = piece.tools.get(name);
          const entry = {
            id: newToolCallId(),
            verbatim: tool && !argumentsFirst.has(event.index) ? argumentsVerbatim(tool) : false,
          };
          started.set(event.index, entry);
          byIndex.set(event.index, {
            type: "tool_call_chunk",
            index: event.index,
            id: entry.id,
            name,
            args: "",
          });
        } else if (!started.has(event.index)) {
          argumentsFirst.add(event.index);
        } else if (started.get(event.index)?.verbatim) {
          const current = byIndex.get(event.index);
          // No id or type on follow-up entries: LangChain concatenates the string fields it merges.
          if (current) current.args = (current.args ?? "") + event.delta;
          else byIndex.set(event.index, { index: event.index, args: event.delta });
        }
      }
      const chunks = [...byIndex.values()];
      const chunk = callChunk(settings.id, chunks);
      if (chunks.length > 0) yield chunk;
      // Always with a chunk whose content is empty: a handler given only the token (LangGraph's
      // "messages" stream) would show the call's JSON as reply text.
      await reportToken(piece.text, chunk);
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  await running;
  if (failure !== undefined) throw failure;
  const result = final!;
  const closing: ToolCallChunk[] = [];
  result.toolCalls.forEach((call, index) => {
    const entry = started.get(index);
    if (entry) {
      // The streamed id is the call's id; verbatim arguments are already complete.
      call.id = entry.id;
      if (!entry.verbatim) {
        closing.push({ index, args: JSON.stringify(call.args) });
      }
    } else {
      closing.push({
        type: "tool_call_chunk",
        index,
        id: call.id,
        name: call.name,
        args: JSON.stringify(call.args),
      });
    }
  });
  // A started call that did not parse must not collapse into a call with `{}` or cut arguments.
  // Arguments streamed as written are closed with text no JSON parser completes, or LangChain
  // would partial-parse a cut call into a "valid" one.
  for (const [index] of started) {
    if (index < result.toolCalls.length) continue;
    const reason = result.invalidToolCalls[0]?.error ?? "the call did not parse";
    closing.push({ index, args: ` (invalid: ${reason})` });
  }
  const fields = messageFields(result);
  const rest = result.text.startsWith(sentText) ? result.text.slice(sentText.length) : "";
  const closingChunk = new ChatGenerationChunk({
    text: rest,
    message: new AIMessageChunk({
      ...fields,
      id: settings.id,
      content: rest,
      usage_metadata: settings.streamUsage ? fields.usage_metadata : undefined,
      tool_call_chunks: closing,
    }),
    generationInfo: result.metadata,
  });
  // A forced call cut off by maxTokens is an invalid call with its raw text. AIMessageChunk's
  // constructor derives invalid calls from tool_call_chunks only (and would partial-parse the
  // cut JSON into a "valid" call), so they are set on the closing chunk itself, where a consumer
  // of the stream reads them (LangChain's concat does not carry them).
  if (result.invalidToolCalls.length > 0) {
    (closingChunk.message as AIMessageChunk).invalid_tool_calls = result.invalidToolCalls;
  }
  yield closingChunk;
  if (rest) await reportToken(rest, closingChunk);
}
