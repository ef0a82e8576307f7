import { CHAT_FAMILIES, MODEL_SHAPES, writeTestModel } from "../../testing/gguf-writer/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";

export const command: CliCommand = {
  name: "make-test-model",
  summary: "Write a random-weight GGUF (real format, noise weights) for tests and benchmarks",
  usage: `hearth make-test-model --out <file> [--family ${Object.keys(CHAT_FAMILIES).join("|")}] [--shape ${Object.keys(MODEL_SHAPES).join("|")}] [--quant f16|q8_0|q4_0] [--seed N]`,
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        out: { type: "string" },
        family: { type: "string", default: "chatml" },
        shape: { type: "string", default: "tiny" },
        quant: { type: "string", default: "q8_0" },
        seed: { type: "string", default: "42" },
      },
    });
    if (!values.out) throw new CliUsageError("--out <file> is required.");
    const seed = parseNumberFlag("--seed", values.seed, { integer: true })!;
    const started = performance.now();
    const written = await writeTestModel({
      out: values.out,
      family: values.family,
      shape: values.shape,
      quant: values.quant,
      seed,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Wrote ${written.path}: ${written.family} family, ${written.shape.name} shape, ${written.quant}, ` +
        `${(written.parameters / 1e6).toFixed(2)}M parameters, ${(written.bytes / 2 ** 20).toFixed(1)} MiB in ${seconds}s. ` +
        "The weights are random: generated text is noise, the mechanics are real.",
    );
    return 0;
  },
};
