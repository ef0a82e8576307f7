/**
 * Returns one shared object per distinct JSON value, for the most recent `capacity` values.
 *
 * Hearth's tool compiler and grammar caches key on object identity (an in-process caller binds
 * the same tool objects on every turn). Over HTTP every request arrives as fresh objects, so
 * without this each request would recompile its tools' schemas and rebuild their grammars.
 */
export class JsonInterner {
  private readonly entries = new Map<string, object>();

  constructor(private readonly capacity = 128) {}

  intern<T extends object>(value: T): T {
    const key = JSON.stringify(value);
    const existing = this.entries.get(key);
    if (existing) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing as T;
    }
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }
}
