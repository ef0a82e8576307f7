interface KeyedCache<K, V> {
  has(key: K): boolean;
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The value cached under `key`, created (and stored) on first use. Every identity-keyed cache in
 * Hearth (compiled tools, grammars, validators) goes through this one helper; nested caches nest
 * calls: `getOrCreate(getOrCreate(outer, a, () => new WeakMap()), b, create)`.
 */
export function getOrCreate<K, V>(cache: KeyedCache<K, V>, key: K, create: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = create();
  cache.set(key, value);
  return value;
}
