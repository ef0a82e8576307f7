import type { StructuredToolInterface } from "@langchain/core/tools";
import {
  createCalculatorTool,
  createCurrentTimeTool,
  createSearchDocumentsTool,
} from "../../tools/builtins/index.js";
import type { ToolName } from "./episodes.js";

/**
 * The built-in tools an episode runs with, made once (the document index is read once, not per
 * episode): builtinTools' definitions, with current_time reading the episode's clock.
 */
export class EpisodeTools {
  private clock = new Date();
  private readonly byName: Record<ToolName, StructuredToolInterface>;

  constructor(docsFolder: string) {
    this.byName = {
      calculator: createCalculatorTool(),
      current_time: createCurrentTimeTool({ now: () => this.clock }),
      search_documents: createSearchDocumentsTool({ folder: docsFolder }),
    };
  }

  /** The clock current_time reads until the next call. */
  setClock(now: Date): void {
    this.clock = now;
  }

  /** The tools of a set, in builtinTools' order. */
  pick(names: readonly ToolName[]): StructuredToolInterface[] {
    return (["calculator", "current_time", "search_documents"] as const)
      .filter((name) => names.includes(name))
      .map((name) => this.byName[name]);
  }

  get(name: ToolName): StructuredToolInterface {
    return this.byName[name];
  }
}
