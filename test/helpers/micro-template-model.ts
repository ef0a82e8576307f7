import { realTemplateFamily, realTemplateModelPath } from "./real-templates.js";

/**
 * A tiny generated GGUF laid out as Hearth Micro's file is: the qwen3 architecture with the
 * real Qwen2.5 chat template and tokens (random weights, the base test vocabulary).
 */
export function microTemplateModelPath(): Promise<string> {
  const family = realTemplateFamily("qwen2.5");
  return realTemplateModelPath({
    ...family,
    id: "micro-qwen2.5",
    chat: { ...family.chat, architecture: "qwen3" },
  });
}
