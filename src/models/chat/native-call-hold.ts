/**
 * Reply text streamed under tool_choice "auto" while it may still turn out to be a call written
 * in a native form (see native-calls.ts): such calls are read from the whole text once it is
 * generated, and the reply's content is then only the text before them. Streaming that text as
 * it comes would put the call's own text into the aggregated content, where `invoke` has none.
 * So text is held back from where a call could start (a call tag, or a reply that opens as
 * JSON) and the trailing whitespace the content drops; what the final content holds beyond
 * what was sent is sent with the stream's last chunk.
 */
export class NativeCallTextHold {
  private text = "";
  private sent = 0;

  /** Takes more generated text; returns the part that can be sent now (possibly ""). */
  push(chunk: string): string {
    this.text += chunk;
    const end = sendableEnd(this.text);
    if (end <= this.sent) return "";
    const out = this.text.slice(this.sent, end);
    this.sent = end;
    return out;
  }
}

/** Openings of the native call forms parseNativeCalls reads after a text. */
const CALL_MARKERS = ["<tool_call>", "[TOOL_CALLS]", "<|python_tag|>", "<function="];

/** How much of `text` is content whatever follows: before any call marker and trailing space. */
function sendableEnd(text: string): number {
  const start = text.search(/\S/);
  // Nothing but whitespace yet, or a reply that opens as JSON (Llama 3.x writes a bare call).
  if (start < 0 || text[start] === "{" || text[start] === "[") return 0;
  let end = text.length;
  for (const marker of CALL_MARKERS) {
    const at = text.indexOf(marker);
    if (at >= 0) end = Math.min(end, at);
  }
  if (end === text.length) {
    // A marker may be arriving: keep back a tail that could begin one.
    for (const marker of CALL_MARKERS) {
      for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
        if (text.endsWith(marker.slice(0, length))) {
          end = Math.min(end, text.length - length);
          break;
        }
      }
    }
  }
  return text.slice(0, end).trimEnd().length;
}
