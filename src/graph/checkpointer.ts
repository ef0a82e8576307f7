import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph";
import { registerThreadStore } from "./thread-lock.js";

/** `postgres://…` or `postgresql://…`: a PostgreSQL connection URL. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec.trim());
}

/**
 * A checkpointer for the agent's threads:
 * - none (or ":memory:"): in memory, threads last as long as the process (MemorySaver);
 * - `postgres://user:password@host:port/db`: PostgreSQL (`@langchain/langgraph-checkpoint-postgres`),
 *   its tables created on first use; for several workers sharing threads;
 * - any other string: a SQLite file (parent folders made), the embedded default for one machine.
 *
 * The store is checked here, before anything else runs: a damaged SQLite file or an unreachable
 * server fails with a `ThreadStoreError` naming it and what to do. Runs on one thread take turns
 * through the store's own lock (an advisory lock in PostgreSQL, a lock row in SQLite), so
 * processes sharing it never merge two runs into one turn. `closeCheckpointer` closes what this
 * opened. Database drivers are imported only when used.
 */
export async function openCheckpointer(spec?: string): Promise<BaseCheckpointSaver> {
  if (spec === undefined || spec === ":memory:") return new MemorySaver();
  if (isPostgresUrl(spec)) {
    const url = spec.trim();
    const { openPostgresSaver, PostgresThreadLock } = await import("./postgres-threads.js");
    const { saver, pool } = await openPostgresSaver(url);
    registerThreadStore(saver, new PostgresThreadLock(url), async () => {
      if (!pool.ended) await pool.end();
    });
    return saver;
  }
  const path = resolve(spec);
  const { openSqliteSaver, SqliteThreadLock } = await import("./sqlite-threads.js");
  const saver = await openSqliteSaver(path);
  const lock = new SqliteThreadLock(saver, path);
  registerThreadStore(saver, lock, () => lock.close());
  return saver;
}

/** Where `hearth ask --thread` keeps threads: $HEARTH_THREADS_DB, else ~/.cache/hearth/threads.sqlite. */
export function defaultThreadsFile(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HEARTH_THREADS_DB;
  if (override !== undefined && override.trim() !== "") {
    return isPostgresUrl(override) ? override.trim() : resolve(override);
  }
  return join(homedir(), ".cache", "hearth", "threads.sqlite");
}
