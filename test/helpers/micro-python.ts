import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Debian's python3-torch lives under the system interpreter, not a pyenv/venv python on PATH.
export const SYSTEM_PYTHON = "/usr/bin/python3";
const trainingDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../training/micro",
);

/** false when PyTorch is importable; otherwise the reason, for `describe(..., { skip })`. */
export function pythonWithTorch(): false | string {
  const probe = spawnSync(SYSTEM_PYTHON, ["-c", "import torch, numpy"], { encoding: "utf8" });
  if (probe.status === 0) return false;
  return `needs PyTorch: ${SYSTEM_PYTHON} -c "import torch, numpy" failed (install Debian's python3-torch and python3-numpy)`;
}

/** Runs a training/micro script on one thread: its stdout then its stderr; throws with its stderr when it fails. */
export function runPython(script: string, args: string[]): string {
  const run = spawnSync(
    SYSTEM_PYTHON,
    [path.join(trainingDir, script), ...args, "--threads", "1"],
    {
      encoding: "utf8",
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    },
  );
  if (run.status !== 0) {
    throw new Error(`${script} failed (status ${run.status}): ${run.stderr || run.error}`);
  }
  // The trainer reports on stderr (its progress), the checks on stdout: callers read both.
  return `${run.stdout}${run.stderr}`;
}
