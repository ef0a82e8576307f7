// Measures prompt and decode speed at 1, 2 and 4 threads (and the detected core count), side
// by side in one run, to justify the thread rule in src/models/runtime/threads.ts.
// Run: npm run bench:threads -- [--shape tiny|small|qwen3-0.6b]
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chooseThreadCount } from "../../models/runtime/index.js";
import { writeTestModel } from "../../testing/gguf-writer/index.js";

const { values } = parseArgs({ options: { shape: { type: "string", default: "small" } } });
const shape = values.shape!;
const file = path.resolve(".cache", "bench", `chatml-${shape}-f16.gguf`);
if (!existsSync(file)) await writeTestModel({ family: "chatml", shape, quant: "f16", out: file });

const cores = os.availableParallelism();
const counts = [...new Set([1, 2, 4, cores])].sort((a, b) => a - b);
const rows = counts.map((threads) => {
  const output = execFileSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./worker.ts", import.meta.url)), file, "256", "64"],
    {
      env: { ...process.env, HEARTH_THREADS: String(threads) },
      encoding: "utf8",
    },
  );
  return JSON.parse(output.trim().split("\n").at(-1)!) as {
    threads: number;
    promptTokensPerSecond: number;
    decodeTokensPerSecond: number;
  };
});
const chosen = chooseThreadCount({}, cores);
const reference = rows.find((row) => row.threads === chosen)!;
console.log(`Thread scaling on ${cores} cores, ${shape} shape (F16), rule picks ${chosen} threads`);
console.log("threads  prompt tok/s  decode tok/s  prompt vs rule  decode vs rule");
for (const row of rows) {
  console.log(
    `${String(row.threads).padStart(7)}  ${row.promptTokensPerSecond.toFixed(0).padStart(12)}  ${row.decodeTokensPerSecond
      .toFixed(0)
      .padStart(
        12,
      )}  ${(row.promptTokensPerSecond / reference.promptTokensPerSecond).toFixed(2).padStart(14)}  ${(
      row.decodeTokensPerSecond / reference.decodeTokensPerSecond
    )
      .toFixed(2)
      .padStart(14)}`,
  );
}
