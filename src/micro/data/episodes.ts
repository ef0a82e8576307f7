import { evaluateExpression, formatNumber } from "../../tools/builtins/index.js";
import { PLACES } from "./cities.js";
import { DOC_FACTS, topicQuestions } from "./doc-facts.js";
import {
  ALTERNATIVE_SYSTEM_PROMPTS,
  ARITHMETIC_ANSWERS,
  arithmeticTemplates,
  DEFAULT_SYSTEM_PROMPT,
  DIRECT_TOPICS,
  type Operation,
  type Operator,
  operatorWords,
  ROUTE_REASONS,
  type Split,
  TIME_ANSWERS,
  TIME_QUESTIONS,
} from "./phrasings.js";
import { Dice } from "./random.js";
import { upperFirst, varySurface } from "./surface-variation.js";

export type ToolName = "calculator" | "current_time" | "search_documents";
export type QuestionKind = "arithmetic" | "time" | "documents" | "direct";

export interface Verdict {
  grounded: boolean;
  complete: boolean;
  critique: string;
}

/** A first draft the validator must reject, and its verdict. */
export interface WrongDraft {
  draft: string;
  verdict: Verdict;
}

/** One question of a thread and everything the oracle answers for it. */
export interface TurnPlan {
  kind: QuestionKind;
  question: string;
  route: { route: "tools" | "direct"; reason: string };
  /** The forced call (tools route). */
  call?: { name: ToolName; args: Record<string, unknown> };
  /** The answer, from the tool's real result (or none, on the direct route). */
  answer: (result: string) => string;
  /** Some turns first give a wrong draft, from the real result. */
  wrongDraft?: (result: string) => WrongDraft;
}

export interface Episode {
  id: string;
  split: Split;
  systemPrompt: string;
  tools: ToolName[];
  /** The clock current_time reads during this episode. */
  now: Date;
  turns: TurnPlan[];
}

export const GOOD_VERDICT: Verdict = { grounded: true, complete: true, critique: "" };

const TOOL_SETS: readonly { tools: ToolName[]; weight: number }[] = [
  { tools: ["calculator", "current_time", "search_documents"], weight: 0.6 },
  { tools: ["calculator", "current_time"], weight: 0.25 },
  { tools: ["calculator", "search_documents"], weight: 0.08 },
  { tools: ["current_time", "search_documents"], weight: 0.07 },
];

const KIND_TOOL: Record<Exclude<QuestionKind, "direct">, ToolName> = {
  arithmetic: "calculator",
  time: "current_time",
  documents: "search_documents",
};

/** Share of tool turns whose first draft is wrong (the validator's negatives). */
const WRONG_DRAFT_RATE = 0.3;

function operands(dice: Dice): Operation {
  const op = dice.pick<Operator>(["+", "-", "*", "/"]);
  // Numbers mostly below 1000, results small enough to stay one or two number pieces.
  const small = () => (dice.chance(0.5) ? dice.int(2, 99) : dice.int(2, 999));
  if (op === "*") return { a: small(), op, b: dice.int(2, dice.chance(0.7) ? 99 : 999) };
  if (op === "/") {
    // Exact divisions of a dividend below 1000: the result is a whole number to copy.
    const b = dice.int(2, 40);
    const quotient = dice.int(2, Math.floor(999 / b));
    return { a: b * quotient, op, b };
  }
  if (op === "-") {
    const a = small();
    return { a, op, b: dice.chance(0.8) ? dice.int(1, a) : small() };
  }
  return { a: small(), op, b: small() };
}

function arithmeticTurn(dice: Dice, split: Split): TurnPlan {
  const operation = operands(dice);
  const expression = `${operation.a} ${operation.op} ${operation.b}`;
  const template = dice.pick(arithmeticTemplates(split, operation.op));
  const question = template(operation, dice.pick(operatorWords(operation.op)));
  const correct = formatNumber(evaluateExpression(expression));
  const answerForm = dice.pick(ARITHMETIC_ANSWERS);
  const offset = dice.pick([1, 2, 10, 9, 100, -1, -10]);
  const ignore = dice.chance(0.3);
  return {
    kind: "arithmetic",
    question,
    route: { route: "tools", reason: ROUTE_REASONS.arithmetic },
    call: { name: "calculator", args: { expression } },
    answer: (result) => answerForm(expression, result),
    wrongDraft: dice.chance(WRONG_DRAFT_RATE)
      ? (result) => {
          if (ignore) {
            return {
              draft: "I could not work that out.",
              verdict: {
                grounded: false,
                complete: false,
                critique: `The answer ignores the calculator result ${result}.`,
              },
            };
          }
          const wrong = formatNumber(Number(result) + offset);
          return {
            draft: answerForm(expression, wrong === correct ? `${correct}0` : wrong),
            verdict: {
              grounded: false,
              complete: true,
              critique: `The answer says ${wrong} but the calculator returned ${result}.`,
            },
          };
        }
      : undefined,
  };
}

/** "14:05" and "Monday" from current_time's answer ("2025-03-01T14:05:09+01:00 (Monday, time zone …)"). */
export function readTime(result: string): { clock: string; weekday: string } {
  const match = /T(\d{2}:\d{2}):\d{2}[^ ]* \((\w+),/.exec(result);
  if (!match) throw new Error(`current_time's answer has no time in it: ${result}`);
  return { clock: match[1], weekday: match[2] };
}

function timeTurn(dice: Dice, split: Split): TurnPlan {
  const place = dice.pick(PLACES);
  const question = dice.pick(TIME_QUESTIONS[split])(place.name);
  const answerForm = dice.pick(TIME_ANSWERS);
  const shift = dice.int(1, 11);
  const ignore = dice.chance(0.3);
  return {
    kind: "time",
    question,
    route: { route: "tools", reason: ROUTE_REASONS.time },
    call: { name: "current_time", args: { timezone: place.zone } },
    answer: (result) => {
      const { clock, weekday } = readTime(result);
      return answerForm(place.name, clock, weekday);
    },
    wrongDraft: dice.chance(WRONG_DRAFT_RATE)
      ? (result) => {
          const { clock, weekday } = readTime(result);
          if (ignore) {
            return {
              draft: `I cannot tell the time in ${place.name}.`,
              verdict: {
                grounded: false,
                complete: false,
                critique: `The answer ignores the time current_time returned, ${clock}.`,
              },
            };
          }
          const hour = (Number(clock.slice(0, 2)) + shift) % 24;
          const wrong = `${String(hour).padStart(2, "0")}${clock.slice(2)}`;
          return {
            draft: answerForm(place.name, wrong, weekday),
            verdict: {
              grounded: false,
              complete: true,
              critique: `The answer says ${wrong} but current_time returned ${clock}.`,
            },
          };
        }
      : undefined,
  };
}

function documentsTurn(dice: Dice, split: Split): TurnPlan {
  const fact = dice.pick(DOC_FACTS);
  const other = dice.pick(DOC_FACTS.filter((item) => item !== fact));
  const ignore = dice.chance(0.3);
  return {
    kind: "documents",
    question:
      split === "train" && dice.chance(0.5)
        ? upperFirst(dice.pick(topicQuestions(fact)))
        : dice.pick(fact[split]),
    route: { route: "tools", reason: ROUTE_REASONS.documents },
    call: { name: "search_documents", args: { query: fact.query } },
    answer: () => fact.answer,
    wrongDraft: dice.chance(WRONG_DRAFT_RATE)
      ? () =>
          ignore
            ? {
                draft: "The documents do not say.",
                verdict: {
                  grounded: false,
                  complete: false,
                  critique: "The answer ignores the retrieved passage, which answers the question.",
                },
              }
            : {
                draft: other.answer,
                verdict: {
                  grounded: false,
                  complete: false,
                  critique: "The answer is not supported by the retrieved passages.",
                },
              }
      : undefined,
  };
}

function directTurn(dice: Dice, split: Split, tools: readonly ToolName[]): TurnPlan {
  const topic = dice.pick(DIRECT_TOPICS);
  return {
    kind: "direct",
    question: dice.pick(topic[split]),
    route: { route: "direct", reason: topic.reason },
    answer: () => topic.answer(tools),
  };
}

function pickWeighted<T extends { weight: number }>(dice: Dice, items: readonly T[]): T {
  let left = dice.next() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) {
    left -= item.weight;
    if (left < 0) return item;
  }
  return items[items.length - 1];
}

function turn(dice: Dice, split: Split, tools: readonly ToolName[]): TurnPlan {
  const kinds: QuestionKind[] = (["arithmetic", "time", "documents"] as const).filter((kind) =>
    tools.includes(KIND_TOOL[kind]),
  );
  // About one turn in five is answered directly.
  const kind = dice.chance(0.2) ? "direct" : dice.pick(kinds);
  const plan =
    kind === "arithmetic"
      ? arithmeticTurn(dice, split)
      : kind === "time"
        ? timeTurn(dice, split)
        : kind === "documents"
          ? documentsTurn(dice, split)
          : directTurn(dice, split, tools);
  return split === "train" ? { ...plan, question: varySurface(dice, plan.question) } : plan;
}

/** How long a thread runs: after each question, another follows with `followUpChance`. */
export interface ThreadShape {
  maxTurns: number;
  followUpChance: number;
}

/** The shipped model's data: one question, a second with chance 0.2. */
export const SHORT_THREADS: ThreadShape = { maxTurns: 2, followUpChance: 0.2 };
/**
 * Up to four questions (1.6 on average), so that a greeting or thanks after a tool answer is
 * seen answered directly (`npm run train:micro -- --long-threads`; measured in the README).
 */
export const LONG_THREADS: ThreadShape = { maxTurns: 4, followUpChance: 0.4 };

/**
 * The episodes of a split: the same (split, seed) gives the same episodes. Held-out episodes
 * use the held-out templates, and their seed is mixed with the split so that, for one seed,
 * the two splits draw different numbers, places and facts.
 */
export function planEpisodes(options: {
  split: Split;
  seed: number;
  count: number;
  threads?: ThreadShape;
}): Episode[] {
  const threads = options.threads ?? SHORT_THREADS;
  const dice = new Dice(options.seed, `micro-episodes-${options.split}`);
  const episodes: Episode[] = [];
  for (let index = 0; index < options.count; index++) {
    const tools = pickWeighted(dice, TOOL_SETS).tools;
    const systemPrompt = dice.chance(0.8)
      ? DEFAULT_SYSTEM_PROMPT
      : dice.pick(ALTERNATIVE_SYSTEM_PROMPTS);
    // A clock anywhere in 2024-2027, to the minute.
    const now = new Date(Date.UTC(2024, 0, 1) + dice.int(0, 4 * 365 * 24 * 60) * 60_000);
    const turns = [turn(dice, options.split, tools)];
    while (turns.length < threads.maxTurns && dice.chance(threads.followUpChance)) {
      turns.push(turn(dice, options.split, tools));
    }
    episodes.push({
      id: `${options.split}-${options.seed}-${index}`,
      split: options.split,
      systemPrompt,
      tools,
      now,
      turns,
    });
  }
  return episodes;
}
