import { randomUUID } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { ReleaseThread, StoreThreadLock } from "./thread-lock.js";
import { ThreadStoreError } from "./thread-store-error.js";

/** A lease outlives a crashed holder by at most this long. */
const LEASE_MS = 30_000;

function damaged(path: string, problem: string, cause?: unknown): ThreadStoreError {
  return new ThreadStoreError(
    `The thread store ${path} cannot be used: ${problem}. Move it aside (mv "${path}" "${path}.broken") ` +
      "to start again with no saved threads, or point HEARTH_THREADS_DB (or openCheckpointer) at another file; " +
      `sqlite3 "${path}" ".recover" may rescue the old threads.`,
    { cause },
  );
}

/**
 * Opens the SQLite saver on `path` and checks the file before anything else uses it (the CLI
 * calls this before loading a model): a file that is not a database, a damaged one
 * (`PRAGMA quick_check`), a folder or an unreadable file fails here, naming the file.
 */
export async function openSqliteSaver(path: string): Promise<SqliteSaver> {
  mkdirSync(dirname(path), { recursive: true });
  try {
    if (statSync(path).isDirectory()) throw damaged(path, "it is a folder, not a file");
  } catch (error) {
    if (error instanceof ThreadStoreError) throw error;
    // Missing: SQLite creates it.
  }
  const { SqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
  let saver: SqliteSaver;
  try {
    saver = SqliteSaver.fromConnString(path);
  } catch (error) {
    throw damaged(path, error instanceof Error ? error.message : String(error), error);
  }
  try {
    // Processes share this file (`hearth ask --thread` twice at once). better-sqlite3 gives up on
    // a locked file after 5 s, which a loaded machine outlasted once in CI ("database is
    // locked"); a lock is held for one statement, so waiting as long as a thread lease is safe.
    // WAL from the first statement on (the saver sets it only on its first checkpoint): readers
    // then never block the writer, and two fresh processes do not race to convert the file.
    saver.db.pragma(`busy_timeout = ${LEASE_MS}`);
    saver.db.pragma("journal_mode = WAL");
    const result = saver.db.pragma("quick_check", { simple: true });
    if (result !== "ok") throw new Error(String(result));
  } catch (error) {
    saver.db.close();
    const message = error instanceof Error ? error.message : String(error);
    if ((error as { code?: unknown }).code === "SQLITE_BUSY") {
      throw new ThreadStoreError(
        `The thread store ${path} stayed locked by another process for ${LEASE_MS / 1000} s. ` +
          "Try again when the other run has finished, or point HEARTH_THREADS_DB at another file.",
        { cause: error },
      );
    }
    throw damaged(path, `SQLite reports "${message}"`, error);
  }
  return saver;
}

/**
 * A per-thread lock row in the store's own file: the holder inserts it with an expiry and renews
 * it while the run lasts; another process sees the row and waits. SQLite has no lock that
 * outlives a statement but per-row, so this is a lease: a holder that crashes frees the thread
 * when its lease runs out. Statements are single writes, so SQLite's file lock makes each atomic.
 */
export class SqliteThreadLock implements StoreThreadLock {
  readonly where: string;

  constructor(
    private readonly saver: SqliteSaver,
    path: string,
    private readonly leaseMs = LEASE_MS,
  ) {
    this.where = `lock row in ${path}`;
    saver.db.exec(`CREATE TABLE IF NOT EXISTS hearth_thread_locks (
  thread_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
)`);
  }

  async tryAcquire(threadId: string): Promise<ReleaseThread | undefined> {
    const db = this.saver.db;
    const owner = `${process.pid}-${randomUUID()}`;
    const taken = db
      .prepare(
        `INSERT INTO hearth_thread_locks (thread_id, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (thread_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE hearth_thread_locks.expires_at < ?`,
      )
      .run(threadId, owner, Date.now() + this.leaseMs, Date.now());
    if (taken.changes !== 1) return undefined;
    const renew = setInterval(
      () => {
        try {
          db.prepare(
            "UPDATE hearth_thread_locks SET expires_at = ? WHERE thread_id = ? AND owner = ?",
          ).run(Date.now() + this.leaseMs, threadId, owner);
        } catch {
          // A busy file: the next renewal (well before expiry) tries again.
        }
      },
      Math.floor(this.leaseMs / 3),
    );
    renew.unref();
    return async () => {
      clearInterval(renew);
      if (!db.open) return;
      db.prepare("DELETE FROM hearth_thread_locks WHERE thread_id = ? AND owner = ?").run(
        threadId,
        owner,
      );
    };
  }

  async close(): Promise<void> {
    if (this.saver.db.open) this.saver.db.close();
  }
}
