/** The thread store cannot be used as it is; the message names the store and what to do. */
export class ThreadStoreError extends Error {
  override readonly name = "ThreadStoreError";
}
