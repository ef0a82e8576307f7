import type { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import pg from "pg";
import type { ReleaseThread, StoreThreadLock } from "./thread-lock.js";
import { ThreadStoreError } from "./thread-store-error.js";

/**
 * First key of Hearth's two-key advisory locks ("HE"), so they cannot collide with an
 * application's own single-key advisory locks on the same database.
 */
const LOCK_SPACE = 0x4845;
/** Second key for the schema set-up, which two workers starting at once must not run together. */
const SETUP_KEY = 0;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable PostgreSQL URL>";
  }
}

/**
 * Opens `@langchain/langgraph-checkpoint-postgres`'s saver on `url` and creates its tables
 * (LangGraph's `setup()`, idempotent) under an advisory lock, so workers starting together do
 * not race on `CREATE TABLE`. An unreachable server fails here, naming the URL.
 */
export async function openPostgresSaver(
  url: string,
): Promise<{ saver: PostgresSaver; pool: pg.Pool }> {
  const { PostgresSaver } = await import("@langchain/langgraph-checkpoint-postgres");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const saver = new PostgresSaver(pool);
  try {
    const client = await pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_SPACE, SETUP_KEY]);
      try {
        await saver.setup();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_SPACE, SETUP_KEY]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    throw new ThreadStoreError(
      `The thread store ${redactUrl(url)} cannot be used: ${message}. Check that PostgreSQL is running ` +
        "and reachable and that the URL's user, password and database are right.",
      { cause: error },
    );
  }
  return { saver, pool };
}

/**
 * A PostgreSQL session advisory lock per thread (`pg_try_advisory_lock(space, hashtext(id))`),
 * held on its own connection for the run. The server frees it when that connection ends, so a
 * worker that dies mid-run never leaves a thread locked. Two thread ids with the same hash share
 * a lock: they take turns needlessly, which costs time, never correctness.
 */
export class PostgresThreadLock implements StoreThreadLock {
  readonly where = "PostgreSQL advisory lock";

  constructor(private readonly url: string) {}

  async tryAcquire(threadId: string): Promise<ReleaseThread | undefined> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("error", () => {});
    await client.connect();
    let held = false;
    try {
      const result = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
        [LOCK_SPACE, threadId],
      );
      held = result.rows[0]?.locked === true;
    } finally {
      if (!held) await client.end().catch(() => {});
    }
    if (!held) return undefined;
    return async () => {
      // Ending the session frees the lock even if the unlock query fails.
      await client
        .query("SELECT pg_advisory_unlock($1, hashtext($2))", [LOCK_SPACE, threadId])
        .catch(() => {});
      await client.end().catch(() => {});
    };
  }

  async close(): Promise<void> {}
}
