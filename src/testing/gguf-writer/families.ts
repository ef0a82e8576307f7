/**
 * Chat families a generated model can speak: their control tokens, BOS/EOS, Jinja chat
 * template and the node-llama-cpp chat wrapper that formats them.
 */

export type ChatFamilyName = "chatml" | "qwen" | "llama3" | "mistral";

export interface ChatFamily {
  name: ChatFamilyName;
  /** GGUF `general.architecture`. Qwen uses `qwen3` so node-llama-cpp's QwenChatWrapper accepts the file. */
  architecture: "llama" | "qwen2" | "qwen3";
  /** Shown as `general.name`; node-llama-cpp uses names as a hint when resolving a wrapper. */
  displayName: string;
  /** Control tokens (never produced by plain text). */
  controlTokens: string[];
  /** Tokens the template writes as text but the tokenizer keeps whole (Qwen's tool tags). */
  userDefinedTokens: string[];
  bosToken: string;
  eosToken: string;
  /** Extra end-of-generation tokens (`tokenizer.ggml.eot_token_id`). */
  eotToken?: string;
  addBosToken: boolean;
  chatTemplate: string;
  /**
   * node-llama-cpp chat wrapper type for this family. Written to `hearth.chat_wrapper`:
   * node-llama-cpp resolves specialised wrappers only when the Jinja template renders
   * byte-identically to the wrapper, and checks the architecture (QwenChatWrapper wants
   * qwen2/qwen3, Llama3_1ChatWrapper a llama 3 vocabulary), so a generated file names its
   * wrapper explicitly and ChatNodeLlamaCpp honours that key.
   */
  chatWrapper: "chatML" | "qwen" | "llama3.1" | "mistral";
}

const CHATML_TEMPLATE = `{%- for message in messages -%}
{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}`;

// Qwen3's template, shortened: tools in <tools>, calls in <tool_call>, results in <tool_response>.
const QWEN_TEMPLATE = `{%- if tools %}
{{- '<|im_start|>system\\n' }}
{%- if messages[0].role == 'system' %}{{- messages[0].content + '\\n\\n' }}{%- endif %}
{{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
{%- for tool in tools %}{{- "\\n" }}{{- tool | tojson }}{%- endfor %}
{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- elif messages[0].role == 'system' %}
{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == 'user' or (message.role == 'system' and not loop.first) %}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
{%- elif message.role == 'assistant' %}
{{- '<|im_start|>assistant\\n' + (message.content or '') }}
{%- if message.tool_calls %}{%- for tool_call in message.tool_calls %}
{{- '\\n<tool_call>\\n{"name": "' + tool_call.function.name + '", "arguments": ' + (tool_call.function.arguments | tojson) + '}\\n</tool_call>' }}
{%- endfor %}{%- endif %}
{{- '<|im_end|>\\n' }}
{%- elif message.role == 'tool' %}
{{- '<|im_start|>user\\n<tool_response>\\n' + message.content + '\\n</tool_response><|im_end|>\\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}
{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}
{%- endif %}`;

const LLAMA3_TEMPLATE = `{{- bos_token }}
{%- for message in messages %}
{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}`;

const MISTRAL_TEMPLATE = `{{- bos_token }}
{%- for message in messages %}
{%- if message['role'] == 'user' %}{{- '[INST] ' + message['content'] + '[/INST]' }}
{%- elif message['role'] == 'assistant' %}{{- ' ' + message['content'] + eos_token }}
{%- endif %}
{%- endfor %}`;

export const CHAT_FAMILIES: Record<ChatFamilyName, ChatFamily> = {
  chatml: {
    name: "chatml",
    architecture: "llama",
    displayName: "Hearth test model (ChatML)",
    controlTokens: ["<|im_start|>", "<|im_end|>", "<|endoftext|>"],
    userDefinedTokens: [],
    bosToken: "<s>",
    eosToken: "<|im_end|>",
    eotToken: "<|endoftext|>",
    addBosToken: false,
    chatTemplate: CHATML_TEMPLATE,
    chatWrapper: "chatML",
  },
  qwen: {
    name: "qwen",
    architecture: "qwen3",
    displayName: "Hearth test model (Qwen3 format)",
    controlTokens: ["<|im_start|>", "<|im_end|>", "<|endoftext|>"],
    userDefinedTokens: [
      "<tool_call>",
      "</tool_call>",
      "<tool_response>",
      "</tool_response>",
      "<think>",
      "</think>",
    ],
    bosToken: "<s>",
    eosToken: "<|im_end|>",
    eotToken: "<|endoftext|>",
    addBosToken: false,
    chatTemplate: QWEN_TEMPLATE,
    chatWrapper: "qwen",
  },
  llama3: {
    name: "llama3",
    architecture: "llama",
    displayName: "Hearth test model (Llama 3.1 format)",
    controlTokens: [
      "<|begin_of_text|>",
      "<|end_of_text|>",
      "<|start_header_id|>",
      "<|end_header_id|>",
      "<|eot_id|>",
      "<|eom_id|>",
      "<|python_tag|>",
    ],
    userDefinedTokens: [],
    bosToken: "<|begin_of_text|>",
    eosToken: "<|eot_id|>",
    eotToken: "<|eot_id|>",
    addBosToken: true,
    chatTemplate: LLAMA3_TEMPLATE,
    chatWrapper: "llama3.1",
  },
  mistral: {
    name: "mistral",
    architecture: "llama",
    displayName: "Hearth test model (Mistral v0.3 format)",
    controlTokens: [
      "[INST]",
      "[/INST]",
      "[TOOL_CALLS]",
      "[AVAILABLE_TOOLS]",
      "[/AVAILABLE_TOOLS]",
      "[TOOL_RESULTS]",
      "[/TOOL_RESULTS]",
    ],
    userDefinedTokens: [],
    bosToken: "<s>",
    eosToken: "</s>",
    addBosToken: true,
    chatTemplate: MISTRAL_TEMPLATE,
    chatWrapper: "mistral",
  },
};

export function chatFamily(name: string): ChatFamily {
  const family = CHAT_FAMILIES[name as ChatFamilyName];
  if (!family) {
    throw new Error(
      `Unknown chat family "${name}". Known families: ${Object.keys(CHAT_FAMILIES).join(", ")}.`,
    );
  }
  return family;
}
