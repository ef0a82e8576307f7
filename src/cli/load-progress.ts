import { formatGiB, GIB, MIB } from "../models/hardware/index.js";
import type { DownloadProgress, LoadProgress } from "../models/load/index.js";

function formatBytes(bytes: number): string {
  if (bytes >= GIB) return formatGiB(bytes, 2);
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return "--";
  const minutes = Math.floor(seconds / 60);
  return minutes > 0
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`
    : `${Math.round(seconds)}s`;
}

/** A download bar on stderr (stdout stays for results, for scripts): redrawn on a terminal, a line per tenth otherwise. */
export function downloadProgressBar(label: string): {
  update(progress: DownloadProgress): void;
  done(): void;
} {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastTenth = -1;
  return {
    update(progress) {
      const fraction = progress.totalBytes > 0 ? progress.downloadedBytes / progress.totalBytes : 0;
      const line = `${label} [${"#".repeat(Math.round(fraction * 30)).padEnd(30, "-")}] ${(fraction * 100).toFixed(1)}% ${formatBytes(progress.downloadedBytes)}/${formatBytes(progress.totalBytes)} ${formatBytes(progress.bytesPerSecond)}/s ETA ${formatSeconds(progress.secondsLeft)}`;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 200 && fraction < 1) return;
        lastDraw = now;
        process.stderr.write(`\r${line}\x1b[K`);
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        process.stderr.write(`${line}\n`);
      }
    },
    done() {
      if (tty && lastDraw > 0) process.stderr.write("\n");
      lastDraw = 0;
    },
  };
}

/** Progress for commands that open a model: the download bar while downloading; loading from disk prints nothing. */
export function loadProgressPrinter(): (progress: LoadProgress) => void {
  let bar: ReturnType<typeof downloadProgressBar> | undefined;
  return (progress) => {
    if (progress.phase !== "download") {
      bar?.done();
      return;
    }
    bar ??= downloadProgressBar(progress.uri.split("/").at(-1) ?? progress.uri);
    bar.update(progress);
    if (progress.totalBytes > 0 && progress.downloadedBytes >= progress.totalBytes) bar.done();
  };
}
