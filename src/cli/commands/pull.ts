import { findCatalogEntry, findQuant, QUANTIZATIONS } from "../../models/catalog/index.js";
import { defaultModelsDir, isModelUri, resolveModelPath } from "../../models/load/index.js";
import { selectModel } from "../../models/select/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";
import { downloadProgressBar } from "../load-progress.js";
import { machineFromFlags } from "./select.js";

export const command: CliCommand = {
  name: "pull",
  summary:
    "Download a model into the model cache (the one `hearth select` picks, a tier, or an hf: URI)",
  usage: `hearth pull [tier|hf-uri] [--quant ${QUANTIZATIONS.join("|")}] [--dir <folder>] [--context N] [--gpu ... --vram GiB --ram GiB --cores N]`,
  async run(argv) {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      options: {
        quant: { type: "string" },
        dir: { type: "string" },
        context: { type: "string" },
        gpu: { type: "string" },
        vram: { type: "string" },
        ram: { type: "string" },
        cores: { type: "string" },
      },
    });
    if (positionals.length > 1) throw new CliUsageError("Give one tier or URI at a time.");
    const target = positionals[0];
    const contextSize = parseNumberFlag("--context", values.context, { integer: true, min: 1 });

    let uri: string;
    if (target !== undefined && isModelUri(target)) {
      if (values.quant)
        throw new CliUsageError("--quant applies to tiers; a URI names its file already.");
      uri = target;
    } else {
      const entry = target === undefined ? undefined : findCatalogEntry(target);
      if (target !== undefined && !entry) {
        throw new CliUsageError(
          `"${target}" is neither a catalog tier nor a model URI (hf:<user>/<repo>/<file>.gguf). Run \`hearth select\` to see the tiers.`,
        );
      }
      if (values.quant) {
        if (!entry)
          throw new CliUsageError(
            "--quant needs a tier, e.g. `hearth pull qwen3-8b --quant Q5_K_M`.",
          );
        const quant = findQuant(entry, values.quant);
        if (!quant) {
          throw new CliUsageError(
            `${entry.name} is offered as ${entry.quantizations.map((q) => q.quantization).join(", ")}; not ${values.quant}.`,
          );
        }
        uri = quant.uri;
      } else {
        // Let the selector pick the file this machine (or the described one) can run.
        const hardware = await machineFromFlags(values);
        const selection = selectModel(hardware, { contextSize, prefer: entry ? [entry.tier] : [] });
        if (entry && selection.tier !== entry.tier) {
          uri = entry.quantizations[0].uri;
          console.error(
            `${entry.name} does not fit this machine's plan (${selection.model.name} would); fetching its smallest file, ${entry.quantizations[0].quantization}.`,
          );
        } else {
          uri = selection.model.uri;
          console.error(`Selected for this machine: ${selection.summary}.`);
        }
      }
    }

    const cacheDir = values.dir ?? defaultModelsDir();
    const controller = new AbortController();
    const onInterrupt = () => controller.abort(new Error("Download interrupted."));
    process.once("SIGINT", onInterrupt);
    const bar = downloadProgressBar(uri.split("/").at(-1) ?? uri);
    try {
      const resolved = await resolveModelPath(uri, {
        cacheDir,
        onDownloadProgress: bar.update,
        signal: controller.signal,
      });
      bar.done();
      console.error(
        resolved.source === "download" ? `Downloaded ${uri}.` : `Already in the cache: ${uri}.`,
      );
      console.log(resolved.path);
      return 0;
    } finally {
      bar.done();
      process.off("SIGINT", onInterrupt);
    }
  },
};
