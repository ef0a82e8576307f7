import type { JsonSchema } from "../suite-format/types.js";
import { standardizeString } from "./normalize.js";

type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON Schema type(s) a property declares; empty when it declares none (BFCL's `any`). */
export function schemaTypes(schema: JsonSchema | undefined): string[] {
  const type = schema?.type;
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === "string");
  return [];
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    // JSON numbers lose the int/float distinction once parsed, so `integer` means "a whole number".
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    // Like BFCL (Python int -> float), a whole number is a fine value for a float parameter.
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

function jsType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Strings are standardised, everything else kept, recursively for arrays (BFCL's list checker). */
function standardizeDeep(value: unknown): unknown {
  if (typeof value === "string") return standardizeString(value);
  if (Array.isArray(value)) return value.map(standardizeDeep);
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

const show = (value: unknown) => JSON.stringify(value);
const showAcceptable = (acceptable: unknown[]) =>
  acceptable.map((value) => (value === "" ? "(omitted)" : show(value))).join(", ");

/** BFCL's dict checker: each candidate maps keys to acceptable values; "" in a list allows omission. */
function checkObject(name: string, value: Json, candidates: unknown[]): string | null {
  let reason = `argument "${name}": ${show(value)} matches none of the acceptable objects`;
  for (const candidate of candidates) {
    if (!isPlainObject(candidate)) continue;
    const problem = objectProblem(value, candidate);
    if (problem === null) return null;
    reason = `argument "${name}": ${problem}`;
  }
  return reason;
}

function objectProblem(value: Json, candidate: Json): string | null {
  for (const [key, item] of Object.entries(value)) {
    const acceptable = candidate[key];
    if (!Array.isArray(acceptable)) return `unexpected key "${key}"`;
    const wanted = acceptable.map(standardizeDeep);
    const got = standardizeDeep(item);
    if (!wanted.some((option) => deepEqual(option, got))) {
      return `key "${key}" is ${show(item)}, expected one of ${showAcceptable(acceptable)}`;
    }
  }
  for (const [key, acceptable] of Object.entries(candidate)) {
    if (!(key in value) && !(Array.isArray(acceptable) && acceptable.includes(""))) {
      return `key "${key}" is missing`;
    }
  }
  return null;
}

/** BFCL's list-of-dicts checker: same length and order as one candidate list. */
function checkObjectList(name: string, value: unknown[], candidates: unknown[]): string | null {
  let reason = `argument "${name}": ${show(value)} matches none of the acceptable lists`;
  for (const candidate of candidates) {
    if (!Array.isArray(candidate)) continue;
    if (candidate.length !== value.length) {
      reason = `argument "${name}": has ${value.length} objects, expected ${candidate.length}`;
      continue;
    }
    const problem = value
      .map((item, i) =>
        isPlainObject(item) && isPlainObject(candidate[i])
          ? objectProblem(item, candidate[i] as Json)
          : "not an object",
      )
      .find((p) => p !== null);
    if (problem === undefined) return null;
    reason = `argument "${name}": ${problem}`;
  }
  return reason;
}

/**
 * Checks one argument value against its acceptable values, type-aware like BFCL's AST checker.
 * Returns `null` when it is acceptable, else the reason it is not.
 */
export function checkArgumentValue(
  name: string,
  value: unknown,
  acceptable: unknown[],
  schema: JsonSchema | undefined,
): string | null {
  const types = schemaTypes(schema);
  const type = types.find((t) => matchesType(value, t));
  if (types.length > 0 && type === undefined) {
    return `argument "${name}": expected ${types.join(" or ")}, got ${jsType(value)} ${show(value)}`;
  }
  const candidates = acceptable.filter((option) => option !== "");
  const itemTypes = schemaTypes(schema?.items as JsonSchema | undefined);
  if (type === "object") return checkObject(name, value as Json, candidates);
  if (type === "array" && itemTypes.includes("object"))
    return checkObjectList(name, value as unknown[], candidates);
  if (type === "array" && itemTypes.length > 0) {
    const bad = (value as unknown[]).find((item) => !itemTypes.some((t) => matchesType(item, t)));
    if (bad !== undefined) {
      return `argument "${name}": items must be ${itemTypes.join(" or ")}, got ${jsType(bad)} ${show(bad)}`;
    }
  }
  // Strings (and string items of lists) are compared standardised; other values must be equal.
  const got = standardizeDeep(value);
  if (candidates.some((option) => deepEqual(standardizeDeep(option), got))) return null;
  return `argument "${name}": ${show(value)} is not among the acceptable values ${showAcceptable(acceptable)}`;
}
