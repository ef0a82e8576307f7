import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/** Where `hearth ask --thread` keeps threads: $HEARTH_THREADS_DB, else ~/.cache/hearth/threads.sqlite. */
export function defaultThreadsFile(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HEARTH_THREADS_DB;
  if (override !== undefined && override.trim() !== "") return resolve(override);
  return join(homedir(), ".cache", "hearth", "threads.sqlite");
}
