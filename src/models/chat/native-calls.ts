/**
 * Tool calls written in a model family's own syntax, read from generated text.
 *
 * node-llama-cpp detects calls while generating, by the one call prefix its wrapper settings
 * name; a model writing another form its template teaches (Hermes' `<tool_call>` with the
 * arguments first, Mistral's `[TOOL_CALLS] [...]` with the space its tokenizer writes, Llama
 * 3.1's bare `{"name": …, "parameters": …}` or `<|python_tag|>` JSON) would otherwise end up
 * as text content. These are the forms the templates in test/fixtures/chat-templates teach;
 * every one is read with or without the spaces and newlines around it.
 */
export interface NativeCall {
  name: string;
  args: unknown;
  /** The form it was written in, e.g. "<tool_call>" or "[TOOL_CALLS]". */
  form: NativeCallForm;
}

export type NativeCallForm =
  | "<tool_call>"
  | "[TOOL_CALLS]"
  | "<|python_tag|>"
  | "<function=…>"
  | "json";

export interface NativeCallsFound {
  calls: NativeCall[];
  /**
   * The text before the first call (what the model said before calling), without the space
   * before the call; its start is kept as a reply without calls keeps it.
   */
  content: string;
}

/** A JSON value that starts at `start` (an object or array), with where it ends. */
function readJsonValue(text: string, start: number): { value: unknown; end: number } | undefined {
  const open = text[start];
  if (open !== "{" && open !== "[") return undefined;
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) {
        try {
          return { value: JSON.parse(text.slice(start, index + 1)), end: index + 1 };
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

/** `{"name", "arguments" | "parameters"}` in either key order (Hermes writes the arguments first). */
function asCall(value: unknown, form: NativeCallForm): NativeCall | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.name !== "string") return undefined;
  let args = record.arguments ?? record.parameters ?? {};
  if (typeof args === "string") {
    try {
      args = JSON.parse(args);
    } catch {
      // Left as the string: validation reports it against the tool's schema.
    }
  }
  return { name: record.name, args, form };
}

function callsOf(value: unknown, form: NativeCallForm): NativeCall[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const calls = list.map((item) => asCall(item, form));
  return calls.length > 0 && calls.every((call) => call !== undefined)
    ? (calls as NativeCall[])
    : undefined;
}

function skipSpace(text: string, index: number): number {
  let at = index;
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

/**
 * Reads the calls in `text`, or undefined when it holds none in a known form. `toolNames`
 * limits the bare-JSON forms (a JSON answer is not a call unless it names a bound tool).
 */
export function parseNativeCalls(
  text: string,
  toolNames: readonly string[],
): NativeCallsFound | undefined {
  // <tool_call> {…} </tool_call>, one block per call (Qwen, Hermes).
  const tagged = [...text.matchAll(/<tool_call>\s*/g)];
  if (tagged.length > 0) {
    const calls: NativeCall[] = [];
    for (const match of tagged) {
      const value = readJsonValue(text, match.index + match[0].length);
      const found = value && callsOf(value.value, "<tool_call>");
      if (!found) return undefined;
      calls.push(...found);
    }
    return { calls, content: text.slice(0, tagged[0].index).trimEnd() };
  }
  // [TOOL_CALLS] [{…}, …] (Mistral v0.3 writes a space after the token, Nemo none).
  const mistral = /\[TOOL_CALLS\]\s*/.exec(text);
  if (mistral) {
    const value = readJsonValue(text, mistral.index + mistral[0].length);
    const calls = value && callsOf(value.value, "[TOOL_CALLS]");
    return calls ? { calls, content: text.slice(0, mistral.index).trimEnd() } : undefined;
  }
  // <|python_tag|>{…} (Llama 3.1's custom tool JSON after the ipython tag).
  const python = /<\|python_tag\|>\s*/.exec(text);
  if (python) {
    const value = readJsonValue(text, python.index + python[0].length);
    const calls = value && callsOf(value.value, "<|python_tag|>");
    return calls ? { calls, content: text.slice(0, python.index).trimEnd() } : undefined;
  }
  // <function=name>{…}</function> (node-llama-cpp's Llama 3.1 form).
  const functionTags = [...text.matchAll(/<function=([^>\s]+)>\s*/g)];
  if (functionTags.length > 0) {
    const calls: NativeCall[] = [];
    for (const match of functionTags) {
      const value = readJsonValue(text, match.index + match[0].length);
      if (!value) return undefined;
      calls.push({ name: match[1], args: value.value, form: "<function=…>" });
    }
    return { calls, content: text.slice(0, functionTags[0].index).trimEnd() };
  }
  // The whole answer is a call object or a list of them (Llama 3.x's {"name", "parameters"}).
  const start = skipSpace(text, 0);
  const value = readJsonValue(text, start);
  if (!value || skipSpace(text, value.end) !== text.length) return undefined;
  const calls = callsOf(value.value, "json");
  if (!calls?.every((call) => toolNames.includes(call.name))) return undefined;
  return { calls, content: "" };
}
