import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChatFamilyName,
  type ChatFamilyOverrides,
  writeTestModel,
} from "../../src/testing/gguf-writer/index.js";
import { TEST_MODEL_DIR } from "./test-models.js";

const templateDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../fixtures/chat-templates",
);

/**
 * A model family as its real GGUF files present it: the published chat template (see
 * test/fixtures/chat-templates/SOURCES.md), its special tokens, tokenizer flags and name —
 * and no `hearth.chat_wrapper`, so Hearth resolves the wrapper as it would for the real file.
 */
export interface RealTemplateFamily {
  id: string;
  label: string;
  /** File under test/fixtures/chat-templates. */
  templateFile: string;
  /** Generated-model family the tensors and base vocabulary come from. */
  base: ChatFamilyName;
  chat: ChatFamilyOverrides;
  addSpacePrefix: boolean;
  sizeLabel?: string;
  /** What the template is rendered with for `bos_token` / `eos_token` (as transformers passes them). */
  bosToken: string | null;
  eosToken: string;
}

const QWEN_CONTROL = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"];
const QWEN_TOOL_TAGS = ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"];
/** Qwen's file: no BOS added, `<|im_end|>` ends a turn, tool tags as user-defined tokens. */
function qwenChat(
  architecture: "qwen2" | "qwen3",
  displayName: string,
  extraTokens: string[],
): ChatFamilyOverrides {
  return {
    architecture,
    displayName,
    controlTokens: QWEN_CONTROL,
    userDefinedTokens: [...QWEN_TOOL_TAGS, ...extraTokens],
    bosToken: "<|endoftext|>",
    eosToken: "<|im_end|>",
    eotToken: "<|endoftext|>",
    addBosToken: false,
  };
}

export const REAL_TEMPLATE_FAMILIES: RealTemplateFamily[] = [
  {
    id: "qwen3",
    label: "Qwen3",
    templateFile: "qwen3.jinja",
    base: "qwen",
    chat: qwenChat("qwen3", "Qwen3 0.6B", ["<think>", "</think>"]),
    addSpacePrefix: false,
    bosToken: null,
    eosToken: "<|im_end|>",
  },
  {
    id: "qwen2.5",
    label: "Qwen2.5",
    templateFile: "qwen2.5.jinja",
    base: "qwen",
    chat: qwenChat("qwen2", "Qwen2.5 7B Instruct", []),
    addSpacePrefix: false,
    bosToken: null,
    eosToken: "<|im_end|>",
  },
  {
    id: "llama3.1",
    label: "Llama 3.1",
    templateFile: "llama3.1.jinja",
    base: "llama3",
    // The generated llama3 family has Llama 3's real special tokens.
    chat: { displayName: "Meta Llama 3.1 8B Instruct" },
    addSpacePrefix: false,
    sizeLabel: "8B",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
  },
  {
    id: "llama3.2",
    label: "Llama 3.2",
    templateFile: "llama3.2.jinja",
    base: "llama3",
    // The generated llama3 family has Llama 3's real special tokens.
    chat: { displayName: "Llama 3.2 3B Instruct" },
    addSpacePrefix: false,
    sizeLabel: "3B",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
  },
  {
    id: "mistral-v0.3",
    label: "Mistral 7B v0.3",
    templateFile: "mistral-v0.3.jinja",
    base: "mistral",
    // The generated mistral family has Mistral's real control tokens.
    chat: { displayName: "Mistral 7B Instruct v0.3" },
    // SentencePiece with the dummy prefix, as Mistral's v3 tokenizer.
    addSpacePrefix: true,
    sizeLabel: "7B",
    bosToken: "<s>",
    eosToken: "</s>",
  },
  {
    id: "mistral-nemo",
    label: "Mistral Nemo",
    templateFile: "mistral-nemo.jinja",
    base: "mistral",
    // The generated mistral family has Mistral's real control tokens.
    chat: { displayName: "Mistral Nemo Instruct 2407" },
    // Tekken is a byte-level BPE: no dummy prefix.
    addSpacePrefix: false,
    sizeLabel: "12B",
    bosToken: "<s>",
    eosToken: "</s>",
  },
  {
    id: "phi3.5-mini",
    label: "Phi-3.5-mini",
    templateFile: "phi3.5-mini.jinja",
    base: "chatml",
    chat: {
      displayName: "Phi 3.5 Mini Instruct",
      controlTokens: ["<|system|>", "<|user|>", "<|assistant|>", "<|end|>", "<|endoftext|>"],
      userDefinedTokens: [],
      bosToken: "<s>",
      eosToken: "<|endoftext|>",
      eotToken: "<|end|>",
      addBosToken: false,
    },
    addSpacePrefix: true,
    sizeLabel: "3.8B",
    bosToken: "<s>",
    eosToken: "<|endoftext|>",
  },
  {
    id: "phi4-mini",
    label: "Phi-4-mini",
    templateFile: "phi4-mini.jinja",
    base: "chatml",
    chat: {
      displayName: "Phi 4 Mini Instruct",
      controlTokens: [
        "<|system|>",
        "<|user|>",
        "<|assistant|>",
        "<|end|>",
        "<|endoftext|>",
        "<|tool|>",
        "<|/tool|>",
        "<|tool_call|>",
        "<|/tool_call|>",
        "<|tool_response|>",
      ],
      userDefinedTokens: [],
      bosToken: "<|endoftext|>",
      eosToken: "<|endoftext|>",
      eotToken: "<|end|>",
      addBosToken: false,
    },
    addSpacePrefix: false,
    sizeLabel: "3.8B",
    bosToken: "<|endoftext|>",
    eosToken: "<|endoftext|>",
  },
  {
    id: "hermes2-pro",
    label: "Hermes 2 Pro (ChatML + <tool_call>)",
    templateFile: "hermes2-pro.jinja",
    base: "chatml",
    chat: {
      displayName: "Hermes 2 Pro Llama 3 8B",
      controlTokens: ["<|begin_of_text|>", "<|end_of_text|>", "<|im_start|>", "<|im_end|>"],
      userDefinedTokens: [...QWEN_TOOL_TAGS, "<tools>", "</tools>"],
      bosToken: "<|begin_of_text|>",
      eosToken: "<|im_end|>",
      eotToken: "<|end_of_text|>",
      addBosToken: true,
    },
    addSpacePrefix: false,
    sizeLabel: "8B",
    bosToken: "<|begin_of_text|>",
    eosToken: "<|im_end|>",
  },
  {
    id: "gemma2",
    label: "Gemma 2",
    templateFile: "gemma2.jinja",
    base: "chatml",
    chat: {
      displayName: "Gemma 2 2b It",
      controlTokens: ["<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>"],
      userDefinedTokens: [],
      bosToken: "<bos>",
      eosToken: "<eos>",
      eotToken: "<end_of_turn>",
      addBosToken: true,
    },
    addSpacePrefix: false,
    sizeLabel: "2.6B",
    bosToken: "<bos>",
    eosToken: "<eos>",
  },
  {
    id: "chatml",
    label: "ChatML (no tool syntax)",
    templateFile: "chatml.jinja",
    base: "chatml",
    chat: { displayName: "ChatML Instruct", addBosToken: false },
    addSpacePrefix: false,
    bosToken: "<s>",
    eosToken: "<|im_end|>",
  },
];

export function realTemplateFamily(id: string): RealTemplateFamily {
  const family = REAL_TEMPLATE_FAMILIES.find((candidate) => candidate.id === id);
  if (!family) throw new Error(`No real-template family "${id}".`);
  return family;
}

export function readChatTemplate(family: RealTemplateFamily): string {
  return readFileSync(path.join(templateDir, family.templateFile), "utf8");
}

// Bump when the writer's output changes; the family and its template are hashed into the name.
const REVISION = 1;
const pending = new Map<string, Promise<string>>();

/** A tiny generated GGUF carrying the family's real template and tokens, cached like testModelPath's. */
export function realTemplateModelPath(family: RealTemplateFamily): Promise<string> {
  const template = readChatTemplate(family);
  const hash = createHash("sha256")
    .update(JSON.stringify(family))
    .update(template)
    .digest("hex")
    .slice(0, 10);
  const file = path.join(TEST_MODEL_DIR, `real-${family.id}-tiny-r${REVISION}-${hash}.gguf`);
  let result = pending.get(file);
  if (!result) {
    result = existsSync(file)
      ? Promise.resolve(file)
      : writeTestModel({
          family: family.base,
          chat: { ...family.chat, chatTemplate: template },
          declareChatWrapper: false,
          addSpacePrefix: family.addSpacePrefix,
          sizeLabel: family.sizeLabel,
          shape: "tiny",
          quant: "q8_0",
          out: file,
        }).then((written) => written.path);
    pending.set(file, result);
  }
  return result;
}
