import type { ModelChoice } from "../select/index.js";
import { isMemoryError, ModelUnavailableError } from "./errors.js";

export interface SteppedDown<T> {
  value: T;
  choice: ModelChoice;
  /** Choices that ran out of memory before `choice`, in order. */
  steppedDownFrom: ModelChoice[];
  notes: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tries a selection's choice, then its alternatives, moving on only when a load runs out of
 * memory (or a fallback's file is not available offline). Any other failure is the answer:
 * a damaged file does not get better by trying a smaller one.
 */
export async function withStepDown<T>(
  choices: readonly ModelChoice[],
  attempt: (choice: ModelChoice, index: number) => Promise<T>,
): Promise<SteppedDown<T>> {
  const failed: ModelChoice[] = [];
  const notes: string[] = [];
  for (const [index, choice] of choices.entries()) {
    try {
      const value = await attempt(choice, index);
      if (failed.length > 0) {
        notes.push(
          `Stepped down to ${choice.summary} after ${failed.map((f) => `${f.model.name} ${f.model.quantization}`).join(", ")} ran out of memory.`,
        );
      }
      return { value, choice, steppedDownFrom: failed, notes };
    } catch (error) {
      if (isMemoryError(error)) {
        failed.push(choice);
        notes.push(
          `${choice.model.name} ${choice.model.quantization} did not fit in memory (${message(error)}).`,
        );
        continue;
      }
      if (index > 0 && error instanceof ModelUnavailableError) {
        notes.push(`Skipped ${choice.summary}: not cached and not downloadable now.`);
        continue;
      }
      throw error;
    }
  }
  const first = choices[0];
  throw new Error(
    `Could not load ${first ? first.summary : "the selection"} or any smaller alternative for lack of memory. ${notes.join(" ")} Close other programs using the GPU, ask for a smaller --context, or pass a smaller model with --model <path>.`,
  );
}
