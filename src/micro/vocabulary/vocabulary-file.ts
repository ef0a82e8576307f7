import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TokenType, type Vocabulary } from "../../testing/gguf-writer/index.js";

/** Where the pipeline keeps the learned vocabulary (git-ignored work files). */
export const MICRO_VOCABULARY_FILE = fileURLToPath(
  new URL("../../../.cache/micro/vocabulary.json", import.meta.url),
);

const FORMAT = "hearth-micro-vocabulary/1";

/** Writes a vocabulary as JSON so the pipeline's steps (data, training, export) share one. */
export async function saveVocabulary(file: string, vocabulary: Vocabulary): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const { tokens, scores, types, bosId, eosId, eotId, unknownId } = vocabulary;
  const text = JSON.stringify({
    format: FORMAT,
    bosId,
    eosId,
    eotId,
    unknownId,
    tokens,
    scores,
    types,
  });
  const temporary = `${file}.${process.pid}.partial`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Reads a vocabulary `saveVocabulary` wrote, checking it is whole. */
export async function loadVocabulary(file: string): Promise<Vocabulary> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : String(error);
    throw new Error(
      `Cannot read the vocabulary ${file}: ${reason}. Learn one with learnMicroVocabulary and saveVocabulary (the micro training pipeline does).`,
      { cause: error },
    );
  }
  const { tokens, scores, types, bosId, eosId, eotId, unknownId } = parsed as unknown as Vocabulary;
  const problems: string[] = [];
  if (parsed.format !== FORMAT)
    problems.push(`format is ${JSON.stringify(parsed.format)}, not "${FORMAT}"`);
  if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === "string"))
    problems.push("tokens must be an array of strings");
  else {
    if (!Array.isArray(scores) || scores.length !== tokens.length || !scores.every(Number.isFinite))
      problems.push("scores must be one finite number per token");
    const known = new Set(Object.values(TokenType));
    if (
      !Array.isArray(types) ||
      types.length !== tokens.length ||
      !types.every((type) => known.has(type))
    )
      problems.push("types must be one llama_token_type per token");
    for (const [name, id] of Object.entries({
      bosId,
      eosId,
      unknownId,
      ...(eotId === undefined ? {} : { eotId }),
    })) {
      if (!Number.isInteger(id) || id < 0 || id >= tokens.length)
        problems.push(`${name} must be a token id`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${file} is not a valid vocabulary: ${problems.join("; ")}. Learn it again.`);
  }
  return {
    tokens,
    scores,
    types,
    bosId,
    eosId,
    ...(eotId === undefined ? {} : { eotId }),
    unknownId,
  };
}
