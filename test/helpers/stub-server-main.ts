/**
 * The scripted OpenAI-protocol server (openai-stub-server.ts) as a process of its own, printing
 * its base URL the way `hearth serve` does ("OpenAI base URL  <url>"), so a test can start,
 * use and kill it like a model server. It routes "direct" and answers from the conversation it
 * is sent: "Your name is X." when asked for a name given earlier, else "answer to <question>".
 */
import { type ChatCompletionRequest, startStubServer } from "./openai-stub-server.js";

function text(content: unknown): string {
  return typeof content === "string" ? content : JSON.stringify(content ?? "");
}

function answer(request: ChatCompletionRequest): string {
  const said = request.messages.map((m) => text(m.content)).join("\n");
  const asked = request.messages.filter(
    (m) => m.role === "user" && !text(m.content).startsWith("[step:"),
  );
  const question = text(asked.at(-1)?.content);
  const name = /my name is (\w+)/i.exec(said)?.[1];
  if (/what is my name/i.test(question)) return name ? `Your name is ${name}.` : "I don't know.";
  return `answer to ${question}`;
}

const server = await startStubServer((request) => {
  const schema = request.response_format?.json_schema?.name;
  if (schema === "route_decision")
    return { content: JSON.stringify({ route: "direct", reason: "chat" }) };
  if (schema === "validation_verdict") {
    return { content: JSON.stringify({ grounded: true, complete: true, critique: "" }) };
  }
  return { content: answer(request) };
});
console.log(`OpenAI base URL  ${server.baseURL}   (model "stub")`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
