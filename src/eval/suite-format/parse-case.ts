import type { EvalTool } from "./types.js";
import {
  EVAL_CATEGORIES,
  type EvalCase,
  type EvalCategory,
  type Expected,
  type ExpectedCall,
  type GraphExpectation,
  type SuiteMessage,
  type SuiteToolCall,
} from "./types.js";

/** Thrown inside case parsing; the loader adds file and line. */
export class CaseFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

function requireString(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new CaseFieldError(field, `must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function parseToolCall(raw: unknown, field: string): SuiteToolCall {
  if (!isObject(raw)) throw new CaseFieldError(field, `must be an object, got ${describe(raw)}`);
  const name = requireString(raw.name, `${field}.name`);
  const args = raw.arguments ?? raw.args ?? {};
  if (!isObject(args)) {
    throw new CaseFieldError(`${field}.arguments`, `must be an object, got ${describe(args)}`);
  }
  const call: SuiteToolCall = { name, arguments: args };
  if (raw.id !== undefined) call.id = requireString(raw.id, `${field}.id`);
  return call;
}

function parseMessage(raw: unknown, field: string): SuiteMessage {
  if (!isObject(raw)) throw new CaseFieldError(field, `must be an object, got ${describe(raw)}`);
  const role = raw.role;
  const content = raw.content ?? "";
  if (typeof content !== "string") {
    throw new CaseFieldError(`${field}.content`, `must be a string, got ${describe(content)}`);
  }
  switch (role) {
    case "system":
    case "user":
      return { role, content };
    case "assistant": {
      const message: SuiteMessage = { role, content };
      if (raw.tool_calls !== undefined) {
        if (!Array.isArray(raw.tool_calls)) {
          throw new CaseFieldError(`${field}.tool_calls`, "must be an array of calls");
        }
        message.tool_calls = raw.tool_calls.map((call, i) =>
          parseToolCall(call, `${field}.tool_calls[${i}]`),
        );
      }
      return message;
    }
    case "tool": {
      const message: SuiteMessage = { role, content };
      if (raw.tool_call_id !== undefined) {
        message.tool_call_id = requireString(raw.tool_call_id, `${field}.tool_call_id`);
      }
      if (raw.name !== undefined) message.name = requireString(raw.name, `${field}.name`);
      return message;
    }
    default:
      throw new CaseFieldError(
        `${field}.role`,
        `must be "system", "user", "assistant" or "tool", got ${JSON.stringify(role)}`,
      );
  }
}

function parseMessages(raw: Json): SuiteMessage[] {
  if (raw.messages !== undefined) {
    if (!Array.isArray(raw.messages) || raw.messages.length === 0) {
      throw new CaseFieldError("messages", "must be a non-empty array of messages");
    }
    return raw.messages.map((message, i) => parseMessage(message, `messages[${i}]`));
  }
  if (typeof raw.question === "string" && raw.question.length > 0) {
    return [{ role: "user", content: raw.question }];
  }
  throw new CaseFieldError("messages", 'is missing (give "messages" or a "question" string)');
}

function parseTool(raw: unknown, field: string): EvalTool {
  if (!isObject(raw)) throw new CaseFieldError(field, `must be an object, got ${describe(raw)}`);
  // Accept bare function definitions too; they are what BFCL and many hand-written suites use.
  const fn = raw.type === "function" && isObject(raw.function) ? raw.function : raw;
  const prefix = fn === raw ? field : `${field}.function`;
  const name = requireString(fn.name, `${prefix}.name`);
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new CaseFieldError(
      `${prefix}.name`,
      `"${name}" is not a valid tool name (letters, digits, _ and - only, at most 64)`,
    );
  }
  const parameters = fn.parameters ?? { type: "object", properties: {} };
  if (!isObject(parameters) || parameters.type !== "object") {
    throw new CaseFieldError(
      `${prefix}.parameters`,
      'must be a JSON Schema with "type": "object" (BFCL\'s "dict" is converted by the BFCL importer)',
    );
  }
  const description = fn.description === undefined ? "" : String(fn.description);
  return { type: "function", function: { name, description, parameters } };
}

function parseExpectedCall(raw: unknown, field: string, toolNames: Set<string>): ExpectedCall {
  if (!isObject(raw)) throw new CaseFieldError(field, `must be an object, got ${describe(raw)}`);
  const name = requireString(raw.name, `${field}.name`);
  if (!toolNames.has(name)) {
    throw new CaseFieldError(
      `${field}.name`,
      `"${name}" is not one of the case's tools (${[...toolNames].join(", ")})`,
    );
  }
  const args = raw.arguments ?? {};
  if (!isObject(args)) {
    throw new CaseFieldError(`${field}.arguments`, `must be an object, got ${describe(args)}`);
  }
  for (const [key, acceptable] of Object.entries(args)) {
    if (!Array.isArray(acceptable) || acceptable.length === 0) {
      throw new CaseFieldError(
        `${field}.arguments.${key}`,
        `must be a non-empty array of acceptable values (write [${JSON.stringify(acceptable)}]; add "" to allow omitting it)`,
      );
    }
  }
  return { name, arguments: args as Record<string, unknown[]> };
}

function parseExpected(raw: unknown, toolNames: Set<string>): Expected {
  if (raw === "none" || raw === "any") return raw;
  if (raw === undefined)
    throw new CaseFieldError("expected", 'is missing (use "none" for no call)');
  // Shorthands: one call object, or one call set.
  if (isObject(raw)) return [[parseExpectedCall(raw, "expected", toolNames)]];
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CaseFieldError(
      "expected",
      'must be "none", "any", a call, or a non-empty array of call sets',
    );
  }
  if (!Array.isArray(raw[0])) {
    return [raw.map((call, i) => parseExpectedCall(call, `expected[${i}]`, toolNames))];
  }
  return raw.map((set, s) => {
    if (!Array.isArray(set) || set.length === 0) {
      throw new CaseFieldError(`expected[${s}]`, "must be a non-empty array of calls");
    }
    return set.map((call, i) => parseExpectedCall(call, `expected[${s}][${i}]`, toolNames));
  });
}

function parseGraph(raw: unknown): GraphExpectation | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw new CaseFieldError("graph", `must be an object, got ${describe(raw)}`);
  const graph: GraphExpectation = {};
  if (raw.route !== undefined) {
    if (raw.route !== "tools" && raw.route !== "direct") {
      throw new CaseFieldError(
        "graph.route",
        `must be "tools" or "direct", got ${JSON.stringify(raw.route)}`,
      );
    }
    graph.route = raw.route;
  }
  if (raw.answerIncludes !== undefined) {
    if (
      !Array.isArray(raw.answerIncludes) ||
      raw.answerIncludes.some((s) => typeof s !== "string")
    ) {
      throw new CaseFieldError("graph.answerIncludes", "must be an array of strings");
    }
    graph.answerIncludes = raw.answerIncludes as string[];
  }
  return graph;
}

/** Parses and checks one case object; errors carry the offending field's path. */
export function parseCase(raw: unknown): EvalCase {
  if (!isObject(raw))
    throw new CaseFieldError("(case)", `must be a JSON object, got ${describe(raw)}`);
  const id = requireString(raw.id, "id");
  const category = raw.category;
  if (!EVAL_CATEGORIES.includes(category as EvalCategory)) {
    throw new CaseFieldError(
      "category",
      `must be one of ${EVAL_CATEGORIES.join(", ")}; got ${JSON.stringify(category)}`,
    );
  }
  const messages = parseMessages(raw);
  if (!Array.isArray(raw.tools))
    throw new CaseFieldError("tools", "must be an array of tool definitions");
  const tools = raw.tools.map((tool, i) => parseTool(tool, `tools[${i}]`));
  const toolNames = new Set(tools.map((tool) => tool.function.name));
  if (toolNames.size !== tools.length)
    throw new CaseFieldError("tools", "has two tools with the same name");
  const expected = parseExpected(raw.expected, toolNames);
  if (category === "irrelevance" && expected !== "none") {
    throw new CaseFieldError("expected", 'must be "none" in the irrelevance category');
  }
  if (expected !== "none" && tools.length === 0) {
    throw new CaseFieldError("tools", "is empty but the case expects a call");
  }
  const testCase: EvalCase = { id, category: category as EvalCategory, messages, tools, expected };
  const graph = parseGraph(raw.graph);
  if (graph) testCase.graph = graph;
  if (raw.toolResults !== undefined) {
    if (!isObject(raw.toolResults))
      throw new CaseFieldError("toolResults", "must be an object keyed by tool name");
    testCase.toolResults = raw.toolResults;
  }
  if (typeof raw.note === "string") testCase.note = raw.note;
  return testCase;
}
