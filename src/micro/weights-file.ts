import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type GivenTensor,
  type ModelShape,
  SHAPE_INTEGER_FIELDS,
} from "../testing/gguf-writer/index.js";

/** The trainer's export: `weights.json` (config and tensor table) beside `weights.bin` (float32 LE). */
export interface MicroWeights {
  /** The shape the weights were trained with (`config`), named "hearth-micro". */
  shape: ModelShape;
  /** By tensor name, with GGUF dimensions (PyTorch's shape reversed). */
  tensors: Map<string, GivenTensor>;
}

const SHAPE_NUMBERS = [...SHAPE_INTEGER_FIELDS, "ropeFreqBase", "rmsEpsilon"] as const;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

/** Reads a weights directory, checking its table against the binary before any value is used. */
export async function readMicroWeights(directory: string): Promise<MicroWeights> {
  const jsonFile = path.join(directory, "weights.json");
  const binFile = path.join(directory, "weights.bin");
  const fail = (problem: string): never => {
    throw new Error(
      `${directory} does not hold usable Hearth Micro weights: ${problem}. Export them again with the micro trainer (weights.json + weights.bin).`,
    );
  };
  let table: { config?: Record<string, unknown>; tensors?: unknown };
  let bin: Buffer;
  try {
    table = JSON.parse(await readFile(jsonFile, "utf8"));
    bin = await readFile(binFile);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const config = table.config;
  if (typeof config !== "object" || config === null) return fail("weights.json has no config");
  for (const key of SHAPE_NUMBERS) {
    if (typeof config[key] !== "number" || !Number.isFinite(config[key]))
      fail(`config.${key} must be a number (got ${JSON.stringify(config[key])})`);
  }
  if (typeof config.tiedEmbeddings !== "boolean") fail("config.tiedEmbeddings must be a boolean");
  const shape = { name: "hearth-micro" } as ModelShape;
  for (const key of SHAPE_NUMBERS) shape[key] = config[key] as number;
  shape.tiedEmbeddings = config.tiedEmbeddings as boolean;

  if (!Array.isArray(table.tensors)) return fail("weights.json has no tensors array");
  const tensors = new Map<string, GivenTensor>();
  for (const entry of table.tensors as TensorEntry[]) {
    const { name, shape: dims, offset } = entry ?? {};
    if (typeof name !== "string")
      return fail(`a tensor entry has no name: ${JSON.stringify(entry)}`);
    if (tensors.has(name)) fail(`${name} is listed twice`);
    if (
      !Array.isArray(dims) ||
      dims.length === 0 ||
      !dims.every((d) => Number.isInteger(d) && d > 0)
    )
      fail(`${name} has shape ${JSON.stringify(dims)}, not a list of positive integers`);
    if (!Number.isInteger(offset) || offset < 0 || offset % 4 !== 0)
      fail(`${name} has offset ${JSON.stringify(offset)}, not a multiple of 4 bytes`);
    const count = dims.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > bin.length)
      fail(
        `${name} needs bytes ${offset}..${offset + count * 4} but weights.bin has ${bin.length}`,
      );
    const data = new Float32Array(count);
    for (let index = 0; index < count; index++) data[index] = bin.readFloatLE(offset + index * 4);
    tensors.set(name, { dims: [...dims].reverse(), data });
  }
  return { shape, tensors };
}
