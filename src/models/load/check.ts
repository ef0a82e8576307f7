import { open, stat } from "node:fs/promises";
import { GgmlType, type GgufFileInfo, GgufFileType, readGgufFileInfo } from "node-llama-cpp";
import type { ArchitectureNumbers } from "../catalog/index.js";
import { architectureFromGguf } from "../select/index.js";
import { ModelFileError } from "./errors.js";

const GGUF_MAGIC = "GGUF";

// Bytes per block and values per block, for the tensor types GGUF files commonly hold
// (ggml's type traits). Unknown types count as zero, which only weakens the truncation check.
const TYPE_LAYOUT: Partial<Record<GgmlType, [bytes: number, values: number]>> = {
  [GgmlType.F32]: [4, 1],
  [GgmlType.F16]: [2, 1],
  [GgmlType.BF16]: [2, 1],
  [GgmlType.Q4_0]: [18, 32],
  [GgmlType.Q4_1]: [20, 32],
  [GgmlType.Q5_0]: [22, 32],
  [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32],
  [GgmlType.Q2_K]: [84, 256],
  [GgmlType.Q3_K]: [110, 256],
  [GgmlType.Q4_K]: [144, 256],
  [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256],
  [GgmlType.Q8_K]: [292, 256],
};

function tensorEnd(tensor: NonNullable<GgufFileInfo["tensorInfo"]>[number]): number {
  const layout = TYPE_LAYOUT[tensor.ggmlType];
  const values = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
  const bytes = layout ? Math.ceil(values / layout[1]) * layout[0] : 0;
  return Number(tensor.fileOffset) + bytes;
}

export interface CheckedModelFile {
  path: string;
  fileBytes: number;
  info: GgufFileInfo;
}

/**
 * Proves a path is a complete GGUF before llama.cpp sees it: it exists, starts with the GGUF
 * magic, its header parses, and it is long enough to hold every tensor the header lists.
 * Throws ModelFileError with what to do otherwise.
 */
export async function checkModelFile(path: string): Promise<CheckedModelFile> {
  let fileBytes: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) {
      throw new ModelFileError(
        "unreadable",
        path,
        `${path} is not a file. Pass the path of a .gguf model file.`,
      );
    }
    fileBytes = stats.size;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(
      "missing",
      path,
      `Model file not found: ${path}. Pass the path of a .gguf file (--model <path>), an hf: URI, or a catalog tier; \`hearth pull <tier>\` downloads one.`,
      { cause: error },
    );
  }
  const magic = Buffer.alloc(4);
  const handle = await open(path, "r");
  try {
    await handle.read(magic, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (fileBytes < 4 || magic.toString("latin1") !== GGUF_MAGIC) {
    const seen =
      fileBytes === 0
        ? "it is empty"
        : `it starts with ${JSON.stringify(magic.subarray(0, Math.min(4, fileBytes)).toString("latin1"))}`;
    throw new ModelFileError(
      fileBytes === 0 ? "truncated" : "not-gguf",
      path,
      `${path} is not a GGUF model file (${seen} instead of "GGUF"). llama.cpp only loads GGUF; download a .gguf build of the model (e.g. \`hearth pull <tier>\`).`,
    );
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { logWarnings: false });
  } catch (error) {
    throw new ModelFileError(
      "truncated",
      path,
      `${path} has a damaged or truncated GGUF header (${error instanceof Error ? error.message : String(error)}). Delete it and download it again.`,
      { cause: error },
    );
  }
  const needed = Math.max(0, ...(info.fullTensorInfo ?? info.tensorInfo ?? []).map(tensorEnd));
  if (fileBytes < needed) {
    throw new ModelFileError(
      "truncated",
      path,
      `${path} is truncated: it has ${fileBytes} bytes but its tensors need ${needed}. The download was probably cut off; delete it and download it again.`,
    );
  }
  return { path, fileBytes, info };
}

export interface ModelFileDescription {
  path: string;
  sizeBytes: number;
  /** `general.architecture`, e.g. "qwen3", "llama". */
  architecture: string;
  name?: string;
  /** `general.file_type` by name, e.g. "MOSTLY_Q4_K_M". */
  fileType?: string;
  /** The quantization part of fileType, e.g. "Q4_K_M". */
  quantization?: string;
  numbers: ArchitectureNumbers;
  hasChatTemplate: boolean;
  tensorCount: number;
}

/** GGUF metadata of a file for people and reports (the eval and the CLI print it). */
export async function describeModelFile(path: string): Promise<ModelFileDescription> {
  const { fileBytes, info } = await checkModelFile(path);
  const general = info.metadata.general;
  const fileTypeNumber = general?.file_type;
  const fileType = fileTypeNumber === undefined ? undefined : GgufFileType[fileTypeNumber];
  return {
    path,
    sizeBytes: fileBytes,
    architecture: general?.architecture ?? "unknown",
    ...(general?.name ? { name: general.name } : {}),
    ...(fileType ? { fileType, quantization: fileType.replace(/^(MOSTLY|ALL)_/, "") } : {}),
    numbers: architectureFromGguf(info),
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === "string",
    tensorCount: Number(info.totalTensorCount),
  };
}
