import path from "node:path";
import { openLocalChatModel } from "../../app/local-chat-model.js";
import { EMBEDDING_CATALOG } from "../../models/catalog/index.js";
import { HearthEmbeddings } from "../../models/embeddings/index.js";
import {
  assertBindingAllowed,
  DEFAULT_HOST,
  DEFAULT_PORT,
  startServer,
} from "../../serve/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";
import { loadProgressPrinter } from "../load-progress.js";

export const command: CliCommand = {
  name: "serve",
  summary: "Serve the local model over an OpenAI-compatible HTTP API (/v1/chat/completions)",
  usage:
    "hearth serve [--model <gguf|hf-uri|micro>] [--host 127.0.0.1] [--port 8080] [--sequences N] [--max-queue N] [--context N] [--max-tokens N] [--api-key-env VAR] [--model-id NAME] [--embedding-model <gguf|hf-uri|catalog id>]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        model: { type: "string" },
        host: { type: "string", default: DEFAULT_HOST },
        port: { type: "string" },
        sequences: { type: "string" },
        "max-queue": { type: "string" },
        context: { type: "string" },
        "max-tokens": { type: "string" },
        "api-key-env": { type: "string" },
        "model-id": { type: "string" },
        "embedding-model": { type: "string" },
      },
    });
    const port =
      parseNumberFlag("--port", values.port, { integer: true, min: 0, max: 65535 }) ?? DEFAULT_PORT;
    const sequences =
      parseNumberFlag("--sequences", values.sequences, { integer: true, min: 1 }) ?? 1;
    const maxQueue =
      parseNumberFlag("--max-queue", values["max-queue"], { integer: true, min: 0 }) ??
      16 * sequences;
    const contextSize = parseNumberFlag("--context", values.context, { integer: true, min: 256 });
    const maxTokens = parseNumberFlag("--max-tokens", values["max-tokens"], {
      integer: true,
      min: 1,
    });
    // The key is read from a variable, not a flag, so it stays out of `ps` and shell history.
    let apiKey: string | undefined;
    const keyVar = values["api-key-env"];
    if (keyVar !== undefined) {
      apiKey = process.env[keyVar];
      if (!apiKey) {
        throw new CliUsageError(
          `--api-key-env names $${keyVar}, which is empty or unset. Export the key first, e.g. ${keyVar}=$(openssl rand -hex 32).`,
        );
      }
    }

    // Before loading: a refused binding should not cost a model load.
    assertBindingAllowed(values.host, apiKey);
    const local = await openLocalChatModel({
      model: values.model,
      contextSize,
      maxTokens,
      sequences,
      maxQueue,
      onProgress: loadProgressPrinter(),
    });
    const embedding = embeddingModelFrom(values["embedding-model"]);
    if (embedding) await embedding.model.info(); // loads it now: a bad file fails before listening
    const server = await startServer({
      model: local.chat,
      modelId: values["model-id"],
      ...(embedding ? { embeddings: { [embedding.name]: embedding.model } } : {}),
      host: values.host,
      port,
      apiKey,
    }).catch(async (error: unknown) => {
      await local.chat.dispose();
      await embedding?.model.dispose();
      throw error;
    });
    // The model selection for this machine, as a hearth_model_selections_total event on /metrics.
    if (local.loaded.choice && local.hardware) {
      server.metrics?.recordSelection(local.loaded.choice, local.hardware);
    }
    console.log(
      [
        `hearth serve: ${local.description}`,
        `  OpenAI base URL  ${server.url}/v1   (model "${server.modelId}")`,
        `  concurrency      ${sequences} sequence(s), ${maxQueue} may wait; more get 429`,
        ...(embedding
          ? [`  embeddings       POST /v1/embeddings   (model "${embedding.name}")`]
          : []),
        `  auth             ${apiKey ? `Authorization: Bearer $${keyVar}` : "none (loopback only)"}`,
        `  metrics          ${server.url}/metrics (Prometheus)`,
        "Ctrl-C stops it.",
      ].join("\n"),
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    await local.chat.dispose();
    await embedding?.model.dispose();
    return 0;
  },
};

/** `--embedding-model`: a catalog id (with its card's prefixes) or a GGUF path / hf: URI. */
function embeddingModelFrom(
  value: string | undefined,
): { name: string; model: HearthEmbeddings } | undefined {
  if (value === undefined) return undefined;
  const entry = EMBEDDING_CATALOG.find((candidate) => candidate.id === value.toLowerCase());
  if (entry) return { name: entry.id, model: HearthEmbeddings.fromCatalog(entry.id) };
  return {
    name: path.basename(value).replace(/\.gguf$/i, ""),
    model: new HearthEmbeddings({ modelPath: value }),
  };
}
