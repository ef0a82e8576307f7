import { access, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { sanitizeToolName } from "../../tools/index.js";
import { SuiteFormatError } from "../suite-format/errors.js";
import type {
  EvalCase,
  EvalSuite,
  EvalTool,
  ExpectedCall,
  JsonSchema,
  SuiteMessage,
} from "../suite-format/types.js";
import { bfclCategory } from "./category.js";
import { bfclSchemaToJsonSchema } from "./schema.js";

type Json = Record<string, unknown>;

interface Line {
  value: Json;
  line: number;
}

function parseJsonLines(text: string, source: string): Line[] {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === "") return;
    try {
      const value = JSON.parse(raw);
      if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("not an object");
      lines.push({ value, line: index + 1 });
    } catch (error) {
      throw new SuiteFormatError(
        `not a JSON object (${(error as Error).message})`,
        source,
        index + 1,
      );
    }
  });
  return lines;
}

/** True when a parsed JSON line looks like a BFCL question (`question` is a list of turns, `function` a list). */
export function isBfclQuestion(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Json;
  return (
    Array.isArray(record.question) && Array.isArray(record.question[0]) && "function" in record
  );
}

export interface BfclImportInput {
  /** Text of a BFCL question file (JSON Lines, despite the .json name). */
  questions: string;
  /** Text of the matching possible_answer file; not needed for (ir)relevance files. */
  answers?: string;
  /** Name shown in errors and reports. */
  source: string;
}

/** Converts BFCL question + possible_answer files into a Hearth suite. */
export function importBfcl({ questions, answers, source }: BfclImportInput): EvalSuite {
  const answerSource = `${source} (possible_answer)`;
  const groundTruth = new Map<string, unknown>();
  for (const { value, line } of answers ? parseJsonLines(answers, answerSource) : []) {
    if (typeof value.id !== "string" || !Array.isArray(value.ground_truth)) {
      throw new SuiteFormatError('needs "id" and a "ground_truth" list', answerSource, line);
    }
    groundTruth.set(value.id, value.ground_truth);
  }

  const cases: EvalCase[] = parseJsonLines(questions, source).map(({ value, line }) => {
    const fail = (message: string, field?: string): never => {
      throw new SuiteFormatError(message, source, line, field);
    };
    const id = typeof value.id === "string" ? value.id : fail("must be a string", "id");
    let category: EvalCase["category"];
    try {
      category = bfclCategory(id);
    } catch (error) {
      return fail((error as Error).message, "id");
    }
    const messages = bfclMessages(value.question, fail);
    const functions = Array.isArray(value.function) ? value.function : [value.function];
    const names = new Map<string, string>();
    const tools = functions.map((fn, i) => {
      const tool = bfclTool(fn, `function[${i}]`, fail);
      names.set(String((fn as Json).name), tool.function.name);
      return tool;
    });
    if (new Set(names.values()).size !== names.size) {
      fail("two functions have the same name once dots are replaced by underscores", "function");
    }
    if (category === "irrelevance") return { id, category, messages, tools, expected: "none" };
    if (category === "relevance") return { id, category, messages, tools, expected: "any" };

    const truth = groundTruth.get(id);
    if (truth === undefined) {
      return fail(
        answers === undefined
          ? "no possible_answer file was given; BFCL keeps them in possible_answer/<same file name>"
          : `no ground truth with this id in the possible_answer file`,
        "id",
      );
    }
    const calls = (truth as unknown[]).map((entry, i) =>
      bfclExpectedCall(entry, names, id, i, fail),
    );
    return { id, category, messages, tools, expected: [calls] };
  });

  if (cases.length === 0) throw new SuiteFormatError("holds no cases", source);
  return { name: basename(source).replace(/\.jsonl?$/, ""), source, cases };
}

function bfclMessages(
  question: unknown,
  fail: (message: string, field?: string) => never,
): SuiteMessage[] {
  if (!Array.isArray(question) || !Array.isArray(question[0])) {
    return fail("must be a list of turns, each a list of {role, content}", "question");
  }
  if (question.length !== 1)
    return fail("has several turns; multi-turn BFCL files are not importable", "question");
  const turn = question[0] as unknown[];
  return turn.map((message, i) => {
    const { role, content } = (message ?? {}) as Json;
    if (
      (role !== "system" && role !== "user" && role !== "assistant") ||
      typeof content !== "string"
    ) {
      return fail("must be {role: system|user|assistant, content: string}", `question[0][${i}]`);
    }
    return { role, content } as SuiteMessage;
  });
}

function bfclTool(
  raw: unknown,
  field: string,
  fail: (message: string, field?: string) => never,
): EvalTool {
  const fn = (raw ?? {}) as Json;
  if (typeof fn.name !== "string") return fail("must be a string", `${field}.name`);
  const parameters = (fn.parameters ?? { type: "dict", properties: {} }) as JsonSchema;
  let converted: JsonSchema;
  try {
    converted = bfclSchemaToJsonSchema(parameters, `${field}.parameters`);
  } catch (error) {
    return fail((error as Error).message, `${field}.parameters`);
  }
  return {
    type: "function",
    function: {
      name: sanitizeToolName(fn.name),
      description: typeof fn.description === "string" ? fn.description : "",
      parameters: { ...converted, type: "object" },
    },
  };
}

function bfclExpectedCall(
  entry: unknown,
  names: Map<string, string>,
  id: string,
  index: number,
  fail: (message: string, field?: string) => never,
): ExpectedCall {
  const field = `ground_truth[${index}] of ${id}`;
  const pairs = typeof entry === "object" && entry !== null ? Object.entries(entry) : [];
  if (pairs.length !== 1) return fail("must be an object with exactly one function name", field);
  const [name, args] = pairs[0];
  const toolName =
    names.get(name) ?? fail(`names "${name}", which is not among the case's functions`, field);
  if (typeof args !== "object" || args === null) return fail("arguments must be an object", field);
  for (const [key, acceptable] of Object.entries(args)) {
    if (!Array.isArray(acceptable))
      return fail(`argument "${key}" must list acceptable values`, field);
  }
  return { name: toolName, arguments: args as Record<string, unknown[]> };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Reads a BFCL question file and its answers. Without `answersPath`, looks where BFCL keeps them:
 * `possible_answer/<same name>` next to the question file.
 */
export async function readBfclFiles(
  questionsPath: string,
  answersPath?: string,
): Promise<EvalSuite> {
  const questions = await readFile(questionsPath, "utf8");
  let answerFile = answersPath;
  if (answerFile === undefined) {
    const sibling = join(dirname(questionsPath), "possible_answer", basename(questionsPath));
    if (await exists(sibling)) answerFile = sibling;
  }
  const answers = answerFile === undefined ? undefined : await readFile(answerFile, "utf8");
  return importBfcl({ questions, answers, source: questionsPath });
}
