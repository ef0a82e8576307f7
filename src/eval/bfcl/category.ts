import type { EvalCategory } from "../suite-format/types.js";

export class UnsupportedBfclCategoryError extends Error {
  override name = "UnsupportedBfclCategoryError";
}

/**
 * Maps a BFCL case id (`simple_12`, `simple_python_3`, `live_parallel_multiple_2-1-0`,
 * `irrelevance_7`, ...) to a Hearth category. Only the AST-checked categories can be imported:
 * multi-turn, executable, Java/JavaScript, memory and web-search ones need BFCL's own runtime.
 */
export function bfclCategory(id: string): EvalCategory {
  const base = id.replace(/_\d+(-\d+)*$/, "");
  const unsupported = (why: string) =>
    new UnsupportedBfclCategoryError(`BFCL case "${id}" (category ${base}): ${why}`);
  if (/multi_turn/.test(base)) {
    throw unsupported(
      "multi-turn categories are scored by executing BFCL's simulated APIs; not importable",
    );
  }
  if (/java/.test(base)) {
    throw unsupported(
      "Java/JavaScript categories expect arguments as source-code strings; not importable",
    );
  }
  if (/exec|rest|sql|chatable|memory|web_search|format_sensitivity/.test(base)) {
    throw unsupported("this category is not scored by BFCL's AST checker; not importable");
  }
  if (/irrelevance/.test(base)) return "irrelevance";
  if (/relevance/.test(base)) return "relevance";
  if (/parallel_multiple/.test(base)) return "parallel_multiple";
  if (/parallel/.test(base)) return "parallel";
  if (/multiple/.test(base)) return "multiple";
  if (/simple/.test(base)) return "simple";
  throw unsupported("unknown category name");
}
