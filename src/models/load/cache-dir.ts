import os from "node:os";
import path from "node:path";

/** Where downloaded models live: $HEARTH_MODELS_DIR, else ~/.cache/hearth/models. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HEARTH_MODELS_DIR;
  if (override !== undefined && override.trim() !== "") return path.resolve(override);
  return path.join(os.homedir(), ".cache", "hearth", "models");
}
