import { Template } from "@huggingface/jinja";
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import type { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { type RealTemplateFamily, readChatTemplate } from "./real-templates.js";

/**
 * The fidelity harness: one conversation, rendered twice — by the model's own chat template
 * (through @huggingface/jinja, which renders like transformers' Jinja2 setup) and by Hearth
 * (the tokens llama.cpp actually evaluated for a real ChatNodeLlamaCpp call, detokenized with
 * special tokens shown) — and compared as text. Text, not tokens of the whole rendering: for
 * SentencePiece models llama.cpp's whole-string tokenizer puts a space after every special
 * token, which is its own quirk, not what the model was trained on.
 */

export interface Call {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type Turn =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; calls?: Call[] }
  | { role: "tool"; callId: string; name: string; content: string };

/** Two tools with a required and an optional argument, an enum and a nested object. */
export const FIDELITY_TOOLS = [
  {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Get the current weather for a city.",
      parameters: {
        type: "object",
        properties: {
          city: { type: "string", description: "City name, e.g. Paris" },
          unit: {
            type: "string",
            enum: ["celsius", "fahrenheit"],
            description: "Temperature unit",
          },
        },
        required: ["city"],
      },
    },
  },
  {
    type: "function" as const,
    function: {
      name: "search_flights",
      description: "Search flights between two cities.",
      parameters: {
        type: "object",
        properties: {
          origin: { type: "string", description: "Departure city" },
          destination: { type: "string", description: "Arrival city" },
          passengers: {
            type: "object",
            description: "Who travels",
            properties: {
              adults: { type: "integer", description: "Adults (12+)" },
              children: { type: "integer", description: "Children under 12" },
            },
            required: ["adults"],
          },
        },
        required: ["origin", "destination"],
      },
    },
  },
];

const SYSTEM: Turn = {
  role: "system",
  content: "You are a travel assistant. Use the tools when they help.",
};

// Call ids of nine alphanumerics: Mistral's templates refuse any other shape.
const ROUND_ONE: Turn[] = [
  SYSTEM,
  { role: "user", content: "What's the weather in Paris?" },
  {
    role: "assistant",
    content: "",
    calls: [{ id: "call1Aa01", name: "get_weather", args: { city: "Paris" } }],
  },
  { role: "tool", callId: "call1Aa01", name: "get_weather", content: "Sunny, 18 °C" },
  { role: "assistant", content: "It is sunny in Paris, 18 °C." },
  {
    role: "user",
    content: "Check Berlin in fahrenheit and find flights from Berlin to Rome for 2 adults.",
  },
];

const PARALLEL_CALLS: Call[] = [
  { id: "call2Bb02", name: "get_weather", args: { city: "Berlin", unit: "fahrenheit" } },
  {
    id: "call3Cc03",
    name: "search_flights",
    args: { origin: "Berlin", destination: "Rome", passengers: { adults: 2 } },
  },
];
const PARALLEL_RESULTS: Turn[] = [
  { role: "tool", callId: "call2Bb02", name: "get_weather", content: "Cloudy, 59 °F" },
  {
    role: "tool",
    callId: "call3Cc03",
    name: "search_flights",
    content: '[{"flight": "LH 1234", "price_eur": 120}]',
  },
];

function parallelRound(parallel: boolean): Turn[] {
  if (parallel)
    return [{ role: "assistant", content: "", calls: PARALLEL_CALLS }, ...PARALLEL_RESULTS];
  // For templates that allow one call per turn (Llama 3.x): the same calls one after another.
  return PARALLEL_CALLS.flatMap((call, index) => [
    { role: "assistant" as const, content: "", calls: [call] },
    PARALLEL_RESULTS[index],
  ]);
}

export interface Scenario {
  name: string;
  turns: Turn[];
  tools: boolean;
}

/** The conversations compared for one family. */
export function scenarios(options: { parallel: boolean }): Scenario[] {
  const plain: Turn[] = [
    SYSTEM,
    { role: "user", content: "Hello! Who are you?" },
    { role: "assistant", content: "I am your travel assistant." },
    { role: "user", content: "Suggest a city for a weekend trip." },
  ];
  const toolsThenFollowUp: Turn[] = [
    ...ROUND_ONE,
    ...parallelRound(options.parallel),
    { role: "assistant", content: "Berlin is cloudy at 59 °F; flight LH 1234 costs 120 EUR." },
    { role: "user", content: "Thanks. Is Rome warmer?" },
  ];
  const endsOnResults: Turn[] = [...ROUND_ONE, ...parallelRound(options.parallel)];
  return [
    { name: "plain chat", turns: plain, tools: false },
    { name: "tools, calls and a follow-up question", turns: toolsThenFollowUp, tools: true },
    { name: "tools, ending on the parallel calls' results", turns: endsOnResults, tools: true },
  ];
}

export function toLangChain(turns: Turn[]): BaseMessage[] {
  return turns.map((turn) => {
    switch (turn.role) {
      case "system":
        return new SystemMessage(turn.content);
      case "user":
        return new HumanMessage(turn.content);
      case "assistant":
        return new AIMessage({
          content: turn.content,
          tool_calls: (turn.calls ?? []).map((call) => ({
            type: "tool_call" as const,
            id: call.id,
            name: call.name,
            args: call.args,
          })),
        });
      default:
        return new ToolMessage({
          content: turn.content,
          tool_call_id: turn.callId,
          name: turn.name,
        });
    }
  });
}

/** OpenAI / transformers message dicts, as chat templates expect them. */
export function toTemplateMessages(turns: Turn[]): Array<Record<string, unknown>> {
  return turns.map((turn) => {
    if (turn.role === "assistant") {
      // Llama 3.x templates test `'tool_calls' in message`: the key only exists with calls.
      if (!turn.calls?.length) return { role: "assistant", content: turn.content };
      return {
        role: "assistant",
        content: turn.content,
        tool_calls: turn.calls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.args },
        })),
      };
    }
    if (turn.role === "tool") {
      return { role: "tool", tool_call_id: turn.callId, name: turn.name, content: turn.content };
    }
    return { role: turn.role, content: turn.content };
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** transformers' `strftime_now` for the specifiers chat templates use. */
export function strftime(date: Date, format: string): string {
  return format.replace(/%([dbBYmHM%])/g, (_, spec: string) => {
    switch (spec) {
      case "d":
        return String(date.getDate()).padStart(2, "0");
      case "b":
        return MONTHS[date.getMonth()];
      case "B":
        return LONG_MONTHS[date.getMonth()];
      case "Y":
        return String(date.getFullYear());
      case "m":
        return String(date.getMonth() + 1).padStart(2, "0");
      case "H":
        return String(date.getHours()).padStart(2, "0");
      case "M":
        return String(date.getMinutes()).padStart(2, "0");
      default:
        return "%";
    }
  });
}

/** Whether the template has any tool syntax at all (otherwise only the plain chat is comparable). */
export function templateHasTools(template: string): boolean {
  return /\btools\b/.test(template) && /tool_calls|tool_call\b/.test(template);
}

/** Renders the family's own template for these turns, as transformers' apply_chat_template would. */
export function renderTemplate(
  family: RealTemplateFamily,
  turns: Turn[],
  options: { tools: boolean; enableThinking?: boolean },
): string {
  const template = new Template(readChatTemplate(family));
  return template.render({
    messages: toTemplateMessages(turns),
    ...(options.tools ? { tools: FIDELITY_TOOLS } : {}),
    add_generation_prompt: true,
    bos_token: family.bosToken,
    eos_token: family.eosToken,
    enable_thinking: options.enableThinking ?? false,
    // @huggingface/jinja defines `strftime_now` itself (the clock), as transformers does.
  });
}

export interface HearthRendering {
  /** Tokens llama.cpp evaluated as the prompt. */
  tokens: number[];
  text: string;
  wrapper: string;
}

/**
 * What Hearth had llama.cpp evaluate for this conversation: a real call limited to one output
 * token, then the context sequence's tokens, detokenized with special tokens shown. The one
 * sampled token is never evaluated (generation stops at once), so the sequence holds exactly
 * the prompt. (`usage_metadata.input_tokens` is not used: node-llama-cpp meters the prompt's
 * last token, evaluated in the generation loop, as output.)
 */
export async function renderHearth(
  chat: ChatNodeLlamaCpp,
  turns: Turn[],
  options: { tools: boolean },
): Promise<HearthRendering> {
  const runnable = options.tools ? chat.bindTools(FIDELITY_TOOLS) : chat;
  await runnable.invoke(toLangChain(turns), { maxTokens: 1 } as never);
  const runtime = await chat.ensureLoaded();
  const tokens = [...runtime.pool.all[0].contextTokens] as number[];
  return {
    tokens,
    text: runtime.model.detokenize(tokens as never, true),
    wrapper: runtime.chatWrapper.wrapperName,
  };
}

/**
 * A line diff (longest common subsequence): `-` lines are the template's, `+` lines Hearth's,
 * with one line of context. Empty when the texts are equal.
 */
export function lineDiff(expected: string, actual: string): string {
  if (expected === actual) return "";
  const a = expected.split("\n");
  const b = actual.split("\n");
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] =
        a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const ops: Array<{ kind: " " | "-" | "+"; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      ops.push({ kind: "+", line: b[j] });
      j++;
    } else {
      ops.push({ kind: "-", line: a[i] });
      i++;
    }
  }
  const keep = ops.map(
    (op, index) =>
      op.kind !== " " ||
      ops[index - 1]?.kind !== " " ||
      (ops[index + 1] && ops[index + 1].kind !== " "),
  );
  const out: string[] = [];
  for (const [index, op] of ops.entries()) {
    if (keep[index]) out.push(`${op.kind} ${op.line}`);
    else if (keep[index - 1]) out.push("  …");
  }
  return out.join("\n");
}

export interface FamilyComparison {
  scenario: string;
  wrapper: string;
  equal: boolean;
  diff: string;
  /** Why the scenario was not compared (the template cannot express it). */
  skipped?: string;
}

/** Today's date as templates print it, replaced by a marker so recorded diffs stay stable. */
export function stableDates(text: string, now: Date): string {
  return text
    .replaceAll(strftime(now, "%d %b %Y"), "<today>")
    .replaceAll(strftime(now, "%d %B %Y"), "<today>");
}

/** For templates that refuse a system turn (Gemma): its text opens the first user turn instead. */
function foldSystemIntoUser(turns: Turn[]): Turn[] {
  const [first, ...rest] = turns;
  if (first?.role !== "system") return turns;
  const userIndex = rest.findIndex((turn) => turn.role === "user");
  if (userIndex < 0) return rest;
  const user = rest[userIndex] as { role: "user"; content: string };
  return rest.map((turn, index) =>
    index === userIndex
      ? { role: "user" as const, content: `${first.content}\n\n${user.content}` }
      : turn,
  );
}

/**
 * Every scenario for one family: Hearth's prompt against the template's. Scenarios the
 * template cannot express are adapted the way its model card says (one call per turn for
 * Llama 3.x, the system text in the first user turn for Gemma) or skipped with the reason.
 */
export async function compareFamily(
  family: RealTemplateFamily,
  chat: ChatNodeLlamaCpp,
  now: Date,
): Promise<FamilyComparison[]> {
  const template = readChatTemplate(family);
  const hasTools = templateHasTools(template);
  let parallel = true;
  const results: FamilyComparison[] = [];
  for (const name of scenarios({ parallel: true }).map((scenario) => scenario.name)) {
    let scenario = scenarios({ parallel }).find((candidate) => candidate.name === name)!;
    if (scenario.tools && !hasTools) {
      results.push({
        scenario: name,
        wrapper: "",
        equal: false,
        diff: "",
        skipped: "the template has no tool syntax",
      });
      continue;
    }
    let referenceTurns = scenario.turns;
    let reference: string | undefined;
    let skipped: string | undefined;
    for (
      let attempt = 0;
      attempt < 3 && reference === undefined && skipped === undefined;
      attempt++
    ) {
      try {
        reference = renderTemplate(family, referenceTurns, { tools: scenario.tools });
      } catch (error) {
        const message = (error as Error).message;
        if (/single tool-call/.test(message) && parallel) {
          parallel = false;
          scenario = scenarios({ parallel }).find((candidate) => candidate.name === name)!;
          referenceTurns = scenario.turns;
        } else if (/System role not supported/.test(message)) {
          referenceTurns = foldSystemIntoUser(referenceTurns);
        } else {
          skipped = `the template raises: ${message}`;
        }
      }
    }
    if (reference === undefined) {
      results.push({ scenario: name, wrapper: "", equal: false, diff: "", skipped });
      continue;
    }
    const hearth = await renderHearth(chat, scenario.turns, { tools: scenario.tools });
    const equal = hearth.text === reference;
    results.push({
      scenario: parallel ? name : `${name} (calls one per turn: the template allows one)`,
      wrapper: hearth.wrapper,
      equal,
      diff: equal ? "" : lineDiff(stableDates(reference, now), stableDates(hearth.text, now)),
    });
  }
  return results;
}

/** A family's comparison as the recorded text (test/fixtures/fidelity/<family>.diff). */
export function formatComparison(family: RealTemplateFamily, results: FamilyComparison[]): string {
  const parts = [`# ${family.label} (${family.templateFile})`];
  for (const result of results) {
    if (result.skipped) {
      parts.push(`## ${result.scenario}: not compared (${result.skipped})`);
      continue;
    }
    parts.push(
      `## ${result.scenario}: ${result.equal ? "equal" : "differs"} (wrapper: ${result.wrapper})`,
    );
    if (!result.equal) parts.push(result.diff);
  }
  return `${parts.join("\n")}\n`;
}
