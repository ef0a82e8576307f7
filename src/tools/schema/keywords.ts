/**
 * How Hearth treats each JSON Schema keyword in a tool's parameters. This table is the single
 * source for the normaliser's decisions and for the README's "supported subset" section.
 *
 * - `grammar`: enforced while the model generates (node-llama-cpp GBNF).
 * - `validation`: the grammar generates a superset; the tool's real schema (Zod, or a JSON Schema
 *   validator) checks the keyword after generation and a failure becomes an error for the model.
 * - `annotation`: carries no constraint.
 * - `rejected`: compileTools throws, naming the tool, the path and the keyword.
 */
export type KeywordSupport = "grammar" | "validation" | "annotation" | "rejected";

export interface KeywordRule {
  support: KeywordSupport;
  note?: string;
}

const INTEGER_RANGE_NOTE = "by grammar for integers with at most 64 allowed values";

export const KEYWORD_RULES: Readonly<Record<string, KeywordRule>> = {
  type: { support: "grammar", note: 'single types and type arrays (`["string", "null"]`)' },
  enum: { support: "grammar", note: "string, number, boolean and null values" },
  const: { support: "grammar", note: "string, number, boolean and null values" },
  properties: { support: "grammar" },
  required: {
    support: "grammar",
    note: "optional properties become `T | null` in the grammar; the null is removed before validation",
  },
  additionalProperties: { support: "grammar" },
  propertyNames: {
    support: "grammar",
    note: "an enum/const of keys becomes closed properties; other key constraints are validated",
  },
  minProperties: {
    support: "grammar",
    note: "validated instead when the object has optional properties",
  },
  maxProperties: {
    support: "grammar",
    note: "validated instead when the object has optional properties",
  },
  items: { support: "grammar", note: "also the draft-07 array (tuple) form" },
  prefixItems: { support: "grammar" },
  additionalItems: { support: "grammar" },
  minItems: { support: "grammar" },
  maxItems: { support: "grammar" },
  minLength: { support: "grammar" },
  maxLength: { support: "grammar" },
  format: {
    support: "grammar",
    note: "`date`, `time`, `date-time` by grammar; `email`, `uri`, `uuid`, `ipv4`, … validated",
  },
  oneOf: { support: "grammar", note: "as alternatives; exclusivity is validated" },
  anyOf: { support: "grammar", note: "as alternatives (node-llama-cpp's oneOf)" },
  allOf: {
    support: "grammar",
    note: "merged when branches do not conflict; constraint-only branches are validated",
  },
  $ref: { support: "grammar", note: "local references: `#`, `#/$defs/…`, `#/definitions/…`" },
  $defs: { support: "grammar" },
  definitions: { support: "grammar" },

  pattern: { support: "validation" },
  minimum: { support: "validation", note: INTEGER_RANGE_NOTE },
  maximum: { support: "validation", note: INTEGER_RANGE_NOTE },
  exclusiveMinimum: { support: "validation", note: INTEGER_RANGE_NOTE },
  exclusiveMaximum: { support: "validation", note: INTEGER_RANGE_NOTE },
  multipleOf: { support: "validation", note: INTEGER_RANGE_NOTE },
  uniqueItems: { support: "validation" },
  contains: { support: "validation" },
  minContains: { support: "validation" },
  maxContains: { support: "validation" },
  dependentRequired: { support: "validation" },

  title: { support: "annotation" },
  description: { support: "annotation", note: "shown to the model in native function calling" },
  default: { support: "annotation", note: "not filled in; Zod schemas apply their own defaults" },
  examples: { support: "annotation" },
  $comment: { support: "annotation" },
  $schema: { support: "annotation", note: "picks the validator's draft" },
  $id: { support: "annotation", note: "at the root only" },
  deprecated: { support: "annotation" },
  readOnly: { support: "annotation" },
  writeOnly: { support: "annotation" },
  contentEncoding: { support: "annotation" },
  contentMediaType: { support: "annotation" },

  not: {
    support: "rejected",
    note: "no grammar can exclude a schema; list the allowed values with `enum` or a union",
  },
  if: { support: "rejected", note: "use a discriminated union (`oneOf` with a `const` field)" },
  // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword; this table is never awaited.
  then: { support: "rejected", note: "use a discriminated union (`oneOf` with a `const` field)" },
  else: { support: "rejected", note: "use a discriminated union (`oneOf` with a `const` field)" },
  dependentSchemas: { support: "rejected", note: "use a discriminated union" },
  dependencies: { support: "rejected", note: "use `dependentRequired` or a discriminated union" },
  patternProperties: {
    support: "rejected",
    note: "declare the keys in `properties`, or use `additionalProperties` with a value schema",
  },
  unevaluatedProperties: { support: "rejected", note: "use `additionalProperties`" },
  unevaluatedItems: { support: "rejected", note: "use `items`" },
  $dynamicRef: { support: "rejected", note: "use a local `$ref`" },
  $dynamicAnchor: { support: "rejected", note: "use `$defs` and a local `$ref`" },
  $recursiveRef: { support: "rejected", note: "use a local `$ref`" },
  $recursiveAnchor: { support: "rejected", note: "use `$defs` and a local `$ref`" },
  $anchor: { support: "rejected", note: "use `$defs` and a `#/$defs/…` reference" },
  contentSchema: { support: "rejected" },
  nullable: {
    support: "rejected",
    note: 'OpenAPI\'s `nullable` is not JSON Schema: use `type: ["string", "null"]`',
  },
};

/** The rule for a keyword; undefined for keywords JSON Schema does not define (annotations by spec). */
export function ruleFor(keyword: string): KeywordRule | undefined {
  return Object.hasOwn(KEYWORD_RULES, keyword) ? KEYWORD_RULES[keyword] : undefined;
}

/** Keywords whose constraint only the after-generation validator checks. */
export const VALIDATION_KEYWORDS = new Set(
  Object.entries(KEYWORD_RULES)
    .filter(([, rule]) => rule.support === "validation")
    .map(([keyword]) => keyword),
);

export const ANNOTATION_KEYWORDS = new Set(
  Object.entries(KEYWORD_RULES)
    .filter(([, rule]) => rule.support === "annotation")
    .map(([keyword]) => keyword),
);

/** String formats node-llama-cpp's grammar generates exactly. */
export const GRAMMAR_FORMATS = new Set(["date", "time", "date-time"]);

/** Formats @cfworker/json-schema (the validator for plain JSON Schema tools) checks. */
export const VALIDATOR_FORMATS = new Set([
  "date",
  "time",
  "date-time",
  "duration",
  "uri",
  "uri-reference",
  "uri-template",
  "url",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "regex",
  "uuid",
  "json-pointer",
  "json-pointer-uri-fragment",
  "relative-json-pointer",
]);

/** Keywords that constrain only values of one JSON type; elsewhere they are vacuous. */
export const KEYWORDS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  string: ["minLength", "maxLength", "pattern", "format"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
  object: [
    "properties",
    "required",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
  ],
  array: [
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
  ],
};
