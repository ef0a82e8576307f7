import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

/** Everything that decides whether a saved KV state is valid for a prefix (see prefix-snapshots.ts). */
export type SnapshotKey = Record<string, string | number | boolean | null>;

/** What the store knows of one saved state. */
export interface SnapshotEntry {
  /** The state file, as written by node-llama-cpp's `saveStateToFile`. */
  file: string;
  bytes: number;
  tokens: number;
}

interface Meta {
  version: 1;
  key: SnapshotKey;
  stateFile: string;
  bytes: number;
  checksum: string;
  tokens: number;
}

const META_VERSION = 1;
const TEMP_MAX_AGE_MS = 10 * 60_000;

/** $HEARTH_SNAPSHOTS_DIR, else ~/.cache/hearth/snapshots. */
export function defaultSnapshotsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HEARTH_SNAPSHOTS_DIR;
  if (override !== undefined && override.trim() !== "") return path.resolve(override);
  return path.join(os.homedir(), ".cache", "hearth", "snapshots");
}

/** Stable JSON for a key: sorted fields, so the same key always hashes the same. */
function canonical(key: SnapshotKey): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b))),
  );
}

export function snapshotId(key: SnapshotKey): string {
  return createHash("sha256").update(canonical(key)).digest("hex").slice(0, 32);
}

/**
 * A whole-file checksum. CRC-32 (zlib, in native code) reads ~1.4 GB/s here against ~0.7 for
 * SHA-256: it guards against truncated or garbled files, not against an adversary (the cache
 * folder is the user's own).
 */
async function checksumOf(file: string): Promise<string> {
  const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  const hash = crc32 ? undefined : createHash("sha1");
  let value = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 })) {
    if (crc32) value = crc32(chunk as Buffer, value);
    else hash?.update(chunk as Buffer);
  }
  return crc32 ? `crc32:${value.toString(16)}` : `sha1:${hash?.digest("hex")}`;
}

/**
 * KV-state snapshots on disk, one per key, shared by every process on the machine.
 *
 * Each snapshot is a state file plus `<id>.json` naming it with the full key, its size and its
 * checksum. Writers write both under unique temporary names and rename them into place, meta
 * last, so a reader sees either the old snapshot or a whole new one; two concurrent writers
 * each leave a whole pair and the last rename wins. A snapshot is used only when its meta
 * holds exactly the key asked for and its state file has the recorded size and checksum;
 * anything else is deleted and rebuilt by the caller. The folder is kept under `maxBytes` by
 * evicting the least recently used snapshots (a hit touches the meta's mtime).
 */
export class SnapshotStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {
    if (!(maxBytes > 0))
      throw new Error(`Snapshot cache maxBytes must be positive (got ${maxBytes}).`);
  }

  private metaPath(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** The valid snapshot for `key`, or undefined (a mismatching or damaged one is removed). */
  async lookup(key: SnapshotKey): Promise<SnapshotEntry | undefined> {
    const id = snapshotId(key);
    const metaFile = this.metaPath(id);
    let meta: Meta;
    try {
      meta = JSON.parse(await readFile(metaFile, "utf8")) as Meta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      await this.remove(id, undefined);
      return undefined;
    }
    const valid =
      meta?.version === META_VERSION &&
      typeof meta.stateFile === "string" &&
      path.basename(meta.stateFile) === meta.stateFile &&
      meta.stateFile.startsWith(`${id}.`) &&
      canonical(meta.key ?? {}) === canonical(key);
    if (!valid) {
      // Same id, different key: a hash collision or a hand-edited file. Never trusted.
      await this.remove(id, meta?.stateFile);
      return undefined;
    }
    const file = path.join(this.dir, meta.stateFile);
    try {
      const info = await stat(file);
      if (info.size !== meta.bytes || (await checksumOf(file)) !== meta.checksum) {
        await this.remove(id, meta.stateFile);
        return undefined;
      }
    } catch {
      await this.remove(id, meta.stateFile);
      return undefined;
    }
    const now = new Date();
    await utimes(metaFile, now, now).catch(() => {});
    return { file, bytes: meta.bytes, tokens: meta.tokens };
  }

  /**
   * Saves a snapshot for `key`: `write(tempFile)` writes the state, then it is checksummed and
   * moved into place. Returns the entry, or undefined when the state could not be written.
   */
  async save(
    key: SnapshotKey,
    tokens: number,
    write: (file: string) => Promise<void>,
  ): Promise<SnapshotEntry | undefined> {
    await mkdir(this.dir, { recursive: true });
    const id = snapshotId(key);
    const unique = `${process.pid}-${randomBytes(6).toString("hex")}`;
    const tempState = path.join(this.dir, `${id}.${unique}.state.tmp`);
    const stateName = `${id}.${unique}.state`;
    const tempMeta = path.join(this.dir, `${id}.${unique}.json.tmp`);
    try {
      await write(tempState);
      const bytes = (await stat(tempState)).size;
      const meta: Meta = {
        version: META_VERSION,
        key,
        stateFile: stateName,
        bytes,
        checksum: await checksumOf(tempState),
        tokens,
      };
      await rename(tempState, path.join(this.dir, stateName));
      await writeFile(tempMeta, JSON.stringify(meta));
      const previous = await this.readStateName(id);
      await rename(tempMeta, this.metaPath(id));
      if (previous && previous !== stateName)
        await rm(path.join(this.dir, previous), { force: true });
      await this.evict();
      return { file: path.join(this.dir, stateName), bytes, tokens };
    } catch {
      await rm(tempState, { force: true });
      await rm(tempMeta, { force: true });
      return undefined;
    }
  }

  /** Removes least recently used snapshots until the folder holds at most `maxBytes`. */
  async evict(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const referenced = new Set<string>();
    const entries: Array<{ id: string; stateFile: string; bytes: number; usedMs: number }> = [];
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const id = name.slice(0, -".json".length);
      try {
        const [text, info] = await Promise.all([
          readFile(path.join(this.dir, name), "utf8"),
          stat(path.join(this.dir, name)),
        ]);
        const meta = JSON.parse(text) as Meta;
        referenced.add(meta.stateFile);
        entries.push({ id, stateFile: meta.stateFile, bytes: meta.bytes, usedMs: info.mtimeMs });
      } catch {
        // Another process may be replacing it; its own save evicts again.
      }
    }
    const now = Date.now();
    for (const name of names) {
      if (name.endsWith(".json") || referenced.has(name)) continue;
      // A state no meta names: the loser of a concurrent write, or a crashed writer's temp file.
      // Recent ones may belong to a writer still at work.
      const info = await stat(path.join(this.dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > TEMP_MAX_AGE_MS)
        await rm(path.join(this.dir, name), { force: true });
    }
    entries.sort((a, b) => b.usedMs - a.usedMs);
    let total = 0;
    for (const entry of entries) {
      total += entry.bytes;
      if (total > this.maxBytes) await this.remove(entry.id, entry.stateFile);
    }
  }

  /** Forgets the snapshot for `key` (a restore that failed after the checks passed). */
  async discard(key: SnapshotKey): Promise<void> {
    const id = snapshotId(key);
    await this.remove(id, await this.readStateName(id));
  }

  private async readStateName(id: string): Promise<string | undefined> {
    try {
      const meta = JSON.parse(await readFile(this.metaPath(id), "utf8")) as Meta;
      return typeof meta.stateFile === "string" && path.basename(meta.stateFile) === meta.stateFile
        ? meta.stateFile
        : undefined;
    } catch {
      return undefined;
    }
  }

  private async remove(id: string, stateFile: string | undefined): Promise<void> {
    await rm(this.metaPath(id), { force: true });
    if (stateFile && path.basename(stateFile) === stateFile && stateFile.startsWith(`${id}.`)) {
      await rm(path.join(this.dir, stateFile), { force: true });
    }
  }
}
