import OpenAI from "openai";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { type RunningServer, type ServerOptions, startServer } from "../../src/serve/index.js";
import { testModelPath } from "./test-models.js";

export interface ServedTestModel {
  chat: ChatNodeLlamaCpp;
  server: RunningServer;
  /** The official client on the server, with retries off so a 429 is seen, not retried. */
  client: OpenAI;
  close(): Promise<void>;
}

/** `hearth serve` on loopback (a free port) over the generated `qwen` tiny model. */
export async function serveTestModel(
  concurrency: { contextSize: number; sequences: number; maxQueue: number },
  options: Omit<ServerOptions, "model"> = {},
): Promise<ServedTestModel> {
  const chat = new ChatNodeLlamaCpp({
    modelPath: await testModelPath({ family: "qwen" }),
    ...concurrency,
  });
  const server = await startServer({ model: chat, port: 0, ...options });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  return {
    chat,
    server,
    client,
    async close() {
      await server.close();
      await chat.dispose();
    },
  };
}
