import { existsSync } from "node:fs";
import path from "node:path";
import { createModelDownloader, resolveModelFile } from "node-llama-cpp";
import { defaultModelsDir } from "./cache-dir.js";
import { checkModelFile } from "./check.js";
import { ModelUnavailableError } from "./errors.js";
import { MICRO_MODEL_NAME, microModelFile } from "./micro-model.js";

export interface DownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds; 0 while unknown. */
  secondsLeft: number;
}

export interface ResolveOptions {
  /** Defaults to $HEARTH_MODELS_DIR, else ~/.cache/hearth/models. */
  cacheDir?: string;
  /** Allow downloading missing files. Default true, false when HEARTH_OFFLINE=1. */
  download?: boolean;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Hugging Face endpoint (default: $MODEL_ENDPOINT, $HF_ENDPOINT, https://huggingface.co/). */
  endpoint?: string;
  /** How long the reachability probe may take before the network counts as down. Default 5 s. */
  probeTimeoutMs?: number;
}

export interface ResolvedModelPath {
  path: string;
  source: "path" | "cache" | "download";
  uri?: string;
  cacheDir: string;
}

const URI_PREFIXES = [
  "hf:",
  "hf://",
  "huggingface:",
  "hf.co/",
  "huggingface.co/",
  "https://",
  "http://",
];

export function isModelUri(value: string): boolean {
  return URI_PREFIXES.some((prefix) => value.startsWith(prefix));
}

function downloadsAllowed(option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  const offline = process.env.HEARTH_OFFLINE;
  return !(offline === "1" || offline === "true");
}

function endpointFor(uri: string, endpoint: string | undefined): string {
  if (uri.startsWith("http://") || uri.startsWith("https://")) return new URL(uri).origin;
  for (const candidate of [endpoint, process.env.MODEL_ENDPOINT, process.env.HF_ENDPOINT]) {
    if (candidate && /^https?:\/\//.test(candidate)) return candidate;
  }
  return "https://huggingface.co/";
}

/**
 * node-llama-cpp's downloader retries for minutes when the network is down, so one short
 * request decides first whether downloading can work at all.
 */
async function probe(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await fetch(url, {
      method: "HEAD",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) return `no answer within ${timeoutMs / 1000} s`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return (
      cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    );
  }
}

function unavailable(
  uri: string,
  cacheDir: string,
  why: string,
  extra: { expectedFile?: string; cause?: unknown } = {},
): ModelUnavailableError {
  const file = extra.expectedFile ? `, as ${extra.expectedFile}` : "";
  return new ModelUnavailableError(
    uri,
    cacheDir,
    `Model ${uri} is not in the model cache (${cacheDir}) and ${why}. Download it where there is internet with \`hearth pull ${uri}\` and copy the file into ${cacheDir}${file} (or point HEARTH_MODELS_DIR at its folder), or pass a local GGUF file with --model <path>.`,
    extra.cause === undefined ? undefined : { cause: extra.cause },
  );
}

/**
 * Turns a local path, a model URI or the name "micro" (Hearth Micro, shipped in the package)
 * into a checked GGUF path. A local path or an already
 * cached file needs no network; a missing `hf:` file is downloaded into the cache folder
 * (node-llama-cpp's downloader) unless downloads are off or the network is unreachable, in
 * which case it fails at once naming the URI, the cache folder and `--model <path>`.
 */
export async function resolveModelPath(
  source: string,
  options: ResolveOptions = {},
): Promise<ResolvedModelPath> {
  const cacheDir = options.cacheDir ?? defaultModelsDir();
  if (source === MICRO_MODEL_NAME) {
    const file = microModelFile();
    await checkModelFile(file);
    return { path: file, source: "path", cacheDir };
  }
  if (!isModelUri(source)) {
    const direct = path.resolve(source);
    const inCache = path.join(cacheDir, source);
    const chosen =
      !existsSync(direct) && !path.isAbsolute(source) && existsSync(inCache) ? inCache : direct;
    await checkModelFile(chosen);
    return { path: chosen, source: "path", cacheDir };
  }

  // node-llama-cpp names the file it looks for; people copying files in need that name.
  let expectedFile: string | undefined;
  try {
    const cached = await resolveModelFile(source, {
      directory: cacheDir,
      download: false,
      cli: false,
    });
    await checkModelFile(cached);
    return { path: cached, source: "cache", uri: source, cacheDir };
  } catch (error) {
    if (!(error instanceof Error) || !/No model file found/.test(error.message)) throw error;
    const expected = /No model file found at "([^"]+)"/.exec(error.message)?.[1];
    if (expected?.endsWith(".gguf")) expectedFile = path.basename(expected);
  }
  if (!downloadsAllowed(options.download)) {
    throw unavailable(
      source,
      cacheDir,
      "downloads are turned off (download: false or HEARTH_OFFLINE=1)",
      { expectedFile },
    );
  }
  const endpoint = endpointFor(source, options.endpoint);
  const unreachable = await probe(endpoint, options.probeTimeoutMs ?? 5000, options.signal);
  if (unreachable !== undefined) {
    throw unavailable(
      source,
      cacheDir,
      `cannot be downloaded: ${endpoint} is unreachable (${unreachable})`,
      { expectedFile },
    );
  }
  try {
    const downloader = await createModelDownloader({
      modelUri: source,
      dirPath: cacheDir,
      showCliProgress: false,
      ...(options.endpoint ? { endpoints: { huggingFace: options.endpoint } } : {}),
      onProgress: options.onDownloadProgress
        ? (status) =>
            options.onDownloadProgress?.({
              downloadedBytes: status.downloadedSize,
              totalBytes: status.totalSize,
              bytesPerSecond: status.averageSpeed,
              secondsLeft: status.estimatedTimeLeft,
            })
        : undefined,
    });
    const downloaded = await downloader.download({ signal: options.signal });
    await checkModelFile(downloaded);
    return { path: downloaded, source: "download", uri: source, cacheDir };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw unavailable(
      source,
      cacheDir,
      `its download failed (${error instanceof Error ? error.message : String(error)})`,
      { expectedFile, cause: error },
    );
  }
}
