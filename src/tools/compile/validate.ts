import { Validator } from "@langchain/core/utils/json_schema";
import { type InteropZodType, interopSafeParse } from "@langchain/core/utils/types";
import { pointerSegments } from "../schema/pointer.js";
import { isJsonSchemaObject, type JsonSchema } from "../schema/types.js";

export type ValidationResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Checks arguments against a tool's real schema; `value` is what was checked. */
export type ArgumentCheck = (args: unknown) => ValidationResult;

const MAX_REPORTED = 6;

function formatPath(path: readonly (string | number | symbol)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number" || /^(0|[1-9][0-9]*)$/.test(String(segment))) {
      text += `[${String(segment)}]`;
    } else {
      text += text === "" ? String(segment) : `.${String(segment)}`;
    }
  }
  return text === "" ? "(arguments)" : text;
}

function joinProblems(problems: string[]): string {
  const unique = [...new Set(problems)];
  const shown = unique.slice(0, MAX_REPORTED);
  const more = unique.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

/** Zod (v3 or v4) is the tool's own schema: it checks everything the grammar could not. */
export function zodArgumentCheck(schema: InteropZodType): ArgumentCheck {
  return (args) => {
    let result: ReturnType<typeof interopSafeParse>;
    try {
      result = interopSafeParse(schema, args);
    } catch (error) {
      // e.g. a schema with async refinements, which cannot be checked synchronously.
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (result.success) return { ok: true, value: args };
    const issues = result.error.issues ?? [];
    if (issues.length === 0) return { ok: false, error: "arguments do not match the schema" };
    return {
      ok: false,
      error: joinProblems(issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)),
    };
  };
}

// Summaries that only say "something below failed"; the errors below say what.
const SUMMARY_KEYWORDS = new Set(["properties", "items", "prefixItems", "$ref", "false", "allOf"]);

function draftOf(schema: JsonSchema): "4" | "7" | "2019-09" | "2020-12" {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (declared.includes("2020-12")) return "2020-12";
  if (declared.includes("2019-09")) return "2019-09";
  if (declared.includes("draft-07") || declared.includes("draft-06")) return "7";
  if (declared.includes("draft-04")) return "4";
  // Undeclared: the array form of `items` only exists before 2019-09.
  return JSON.stringify(schema).includes('"additionalItems"') || hasTupleItems(schema)
    ? "7"
    : "2020-12";
}

function hasTupleItems(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasTupleItems);
  if (!isJsonSchemaObject(value)) return false;
  if (Array.isArray(value.items)) return true;
  return Object.values(value).some(hasTupleItems);
}

/** Plain JSON Schema tools are checked by @cfworker/json-schema, which @langchain/core ships. */
export function jsonSchemaArgumentCheck(schema: JsonSchema): ArgumentCheck {
  const validator = new Validator(
    schema as ConstructorParameters<typeof Validator>[0],
    draftOf(schema),
    false,
  );
  return (args) => {
    const result = validator.validate(args);
    if (result.valid) return { ok: true, value: args };
    const problems = result.errors
      .filter(
        (error) =>
          !SUMMARY_KEYWORDS.has(error.keyword) &&
          !/\/(anyOf|oneOf)\/\d+/.test(error.keywordLocation.replace(/^#\/?/, "/")),
      )
      .map((error) => {
        let path: string;
        try {
          path = formatPath(pointerSegments(error.instanceLocation.replace(/^#/, "")));
        } catch {
          path = error.instanceLocation;
        }
        return `${path}: ${error.error.replace(/\.$/, "")}`;
      });
    return {
      ok: false,
      error: problems.length > 0 ? joinProblems(problems) : "arguments do not match the schema",
    };
  };
}
