/** What a forced call's text says so far: a call's tool name, or more of its arguments' JSON text. */
export type ToolCallStreamEvent =
  | { type: "name"; index: number; name: string }
  | { type: "args"; index: number; delta: string };

/**
 * Reads the text of forced tool calls as it is generated — one `{"name": …, "arguments": …}`
 * object or an array of them, the shapes Hearth's call grammars produce, with the keys in either
 * order (Hermes writes the arguments first) — and reports each call's name once it is complete
 * and its arguments' text as it arrives, so a stream can carry
 * `tool_call_chunks` while the model is still writing. A character scanner rather than a partial
 * JSON parser: re-parsing the growing text on every token would be quadratic, and only the
 * envelope's structure matters here.
 */
export class ToolCallStreamParser {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the call objects: 1 for a single call, 2 inside a parallel call array. */
  private callDepth: number | undefined;
  private index = -1;
  /** A key of the call object whose value comes next, once its colon is seen. */
  private key: string | undefined;
  private colon = false;
  private reading: "key" | "name" | undefined;
  private text = "";
  private capturing = false;

  /** Feeds more generated text; returns what it completed, in order. */
  push(chunk: string): ToolCallStreamEvent[] {
    const events: ToolCallStreamEvent[] = [];
    let args = "";
    const flushArgs = () => {
      if (args !== "") events.push({ type: "args", index: this.index, delta: args });
      args = "";
    };
    for (const ch of chunk) {
      if (this.inString) {
        if (this.capturing) args += ch;
        if (this.escaped) this.escaped = false;
        else if (ch === "\\") this.escaped = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.reading) this.finishString(events);
          continue;
        }
        if (this.reading) this.text += ch;
        continue;
      }
      if (this.capturing) {
        if (this.depth === this.callDepth && (ch === "," || ch === "}")) {
          this.capturing = false;
          flushArgs();
        } else {
          args += ch;
          if (ch === '"') this.inString = true;
          else if (ch === "{" || ch === "[") this.depth++;
          else if (ch === "}" || ch === "]") this.depth--;
          continue;
        }
      }
      this.structural(ch);
    }
    flushArgs();
    return events;
  }

  private finishString(events: ToolCallStreamEvent[]): void {
    const value = JSON.parse(`"${this.text}"`) as string;
    if (this.reading === "key") {
      this.key = value;
      this.colon = false;
    } else {
      events.push({ type: "name", index: this.index, name: value });
      this.key = undefined;
    }
    this.reading = undefined;
    this.text = "";
  }

  private structural(ch: string): void {
    if (this.callDepth === undefined) {
      if (ch === "[") this.callDepth = 2;
      else if (ch === "{") this.callDepth = 1;
      else return;
    }
    const atCall = this.depth === this.callDepth;
    switch (ch) {
      case '"':
        this.inString = true;
        if (atCall && this.key === undefined) this.reading = "key";
        else if (atCall && this.key === "name" && this.colon) this.reading = "name";
        return;
      case ":":
        if (atCall && this.key !== undefined) {
          this.colon = true;
          // Llama 3.1's template calls them "parameters".
          if (this.key === "arguments" || this.key === "parameters") {
            this.capturing = true;
            this.key = undefined;
          }
        }
        return;
      case "{":
      case "[":
        this.depth++;
        if (ch === "{" && this.depth === this.callDepth) {
          this.index++;
          this.key = undefined;
        }
        return;
      case "}":
      case "]":
        this.depth--;
        return;
      case ",":
        if (atCall) this.key = undefined;
        return;
    }
  }
}
