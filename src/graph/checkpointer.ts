import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph";

/**
 * A checkpointer for the agent's threads: in memory when no file is given (threads last as long
 * as the process), else SQLite in that file (threads survive restarts; parent folders are made).
 * The SQLite saver is imported only when used, so in-memory users never load the native module.
 */
export async function openCheckpointer(file?: string): Promise<BaseCheckpointSaver> {
  if (file === undefined || file === ":memory:") return new MemorySaver();
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const { SqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
  return SqliteSaver.fromConnString(path);
}
