import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import { type DocumentFile, passageKey } from "./corpus.js";

/** What one `sync` did: files by fate, and how many passages were sent to the embedding model. */
export interface SyncReport {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  embeddedPassages: number;
  /** True when the stored index was for another model or vector size and was rebuilt. */
  rebuilt: boolean;
}

export interface VectorHit {
  /** `source#position`, the same key the BM25 side uses. */
  key: string;
  /** Cosine distance (0 = same direction). */
  distance: number;
}

function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

function toBlob(vector: readonly number[]): Buffer {
  return Buffer.from(Float32Array.from(vector).buffer);
}

/**
 * Passage vectors on disk in one SQLite file: sqlite-vec's `vec0` table (cosine distance) beside
 * a table of file content hashes, so a later process re-embeds only files whose content changed
 * and drops the passages of deleted ones. The stored model id and vector size guard against
 * mixing vectors of two models: a change rebuilds the index.
 */
export class VectorStore {
  private readonly db: Database.Database;
  private dimensions: number | undefined;

  constructor(
    readonly file: string,
    private readonly modelId: string,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    sqliteVec.load(this.db);
    this.db.pragma("journal_mode = WAL");
    this.db.exec(`
      create table if not exists meta (key text primary key, value text not null);
      create table if not exists files (source text primary key, hash text not null);
      create table if not exists passages (
        id integer primary key, source text not null, position integer not null,
        unique (source, position));
    `);
    const stored = this.meta("dimensions");
    this.dimensions = stored === undefined ? undefined : Number(stored);
  }

  private meta(key: string): string | undefined {
    const row = this.db.prepare("select value from meta where key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  private setMeta(key: string, value: string): void {
    this.db
      .prepare(
        "insert into meta (key, value) values (?, ?) on conflict(key) do update set value = excluded.value",
      )
      .run(key, value);
  }

  private createVectorTable(dimensions: number): void {
    this.db.exec(
      `create virtual table if not exists vectors using vec0(embedding float[${dimensions}] distance_metric=cosine)`,
    );
    this.dimensions = dimensions;
    this.setMeta("dimensions", String(dimensions));
    this.setMeta("model", this.modelId);
  }

  private clear(): void {
    this.db.exec("drop table if exists vectors; delete from passages; delete from files;");
    this.dimensions = undefined;
  }

  /** Brings the stored vectors in line with `files`: embeds new and changed files, drops the rest. */
  async sync(files: DocumentFile[], embeddings: EmbeddingsInterface): Promise<SyncReport> {
    let rebuilt = false;
    const storedModel = this.meta("model");
    if (storedModel !== undefined && storedModel !== this.modelId) {
      this.clear();
      rebuilt = true;
    }
    const stored = new Map(
      (
        this.db.prepare("select source, hash from files").all() as Array<{
          source: string;
          hash: string;
        }>
      ).map((row) => [row.source, row.hash]),
    );
    const report: SyncReport = {
      added: [],
      changed: [],
      removed: [],
      unchanged: 0,
      embeddedPassages: 0,
      rebuilt,
    };
    const pending: Array<{ file: DocumentFile; hash: string }> = [];
    for (const file of files) {
      const hash = contentHash(file.content);
      const previous = stored.get(file.source);
      stored.delete(file.source);
      if (previous === hash) {
        report.unchanged++;
        continue;
      }
      (previous === undefined ? report.added : report.changed).push(file.source);
      pending.push({ file, hash });
    }
    report.removed = [...stored.keys()];

    // Embed before writing: a failing model leaves the index as it was.
    const texts = pending.flatMap(({ file }) =>
      file.passages.map((passage) => `${passage.heading}\n${passage.text}`.trim()),
    );
    const vectors = texts.length > 0 ? await embeddings.embedDocuments(texts) : [];
    report.embeddedPassages = vectors.length;
    if (vectors.length > 0) {
      const size = vectors[0].length;
      if (this.dimensions !== undefined && this.dimensions !== size) {
        // Another vector size: the old vectors cannot be compared with the new ones.
        this.clear();
        report.rebuilt = true;
        return this.sync(files, embeddings).then((again) => ({ ...again, rebuilt: true }));
      }
      if (this.dimensions === undefined) this.createVectorTable(size);
    }

    const deletePassages = (source: string) => {
      const ids = this.db.prepare("select id from passages where source = ?").all(source) as Array<{
        id: number;
      }>;
      for (const { id } of ids) {
        if (this.dimensions !== undefined)
          this.db.prepare("delete from vectors where rowid = ?").run(BigInt(id));
      }
      this.db.prepare("delete from passages where source = ?").run(source);
    };
    const write = this.db.transaction(() => {
      for (const source of report.removed) {
        deletePassages(source);
        this.db.prepare("delete from files where source = ?").run(source);
      }
      let next = 0;
      const insertPassage = this.db.prepare(
        "insert into passages (source, position) values (?, ?)",
      );
      const insertVector = this.db.prepare("insert into vectors (rowid, embedding) values (?, ?)");
      for (const { file, hash } of pending) {
        deletePassages(file.source);
        file.passages.forEach((_, position) => {
          const { lastInsertRowid } = insertPassage.run(file.source, position);
          insertVector.run(BigInt(lastInsertRowid), toBlob(vectors[next++]));
        });
        this.db
          .prepare(
            "insert into files (source, hash) values (?, ?) on conflict(source) do update set hash = excluded.hash",
          )
          .run(file.source, hash);
      }
      if (this.meta("model") === undefined) this.setMeta("model", this.modelId);
    });
    write();
    return report;
  }

  /** The `k` nearest passages to a query vector. */
  nearest(vector: readonly number[], k: number): VectorHit[] {
    if (this.dimensions === undefined) return [];
    if (vector.length !== this.dimensions) {
      throw new Error(
        `The query vector has ${vector.length} dimensions; the index at ${this.file} holds ${this.dimensions}. Use the embedding model the index was built with, or delete the file to rebuild it.`,
      );
    }
    const rows = this.db
      .prepare(
        `select p.source, p.position, v.distance from vectors v join passages p on p.id = v.rowid
         where v.embedding match ? and k = ? order by v.distance`,
      )
      .all(toBlob(vector), k) as Array<{ source: string; position: number; distance: number }>;
    return rows.map((row) => ({
      key: passageKey(row.source, row.position),
      distance: row.distance,
    }));
  }

  close(): void {
    this.db.close();
  }
}
