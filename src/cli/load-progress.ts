import type { LoadProgress } from "../models/load/index.js";

/** A one-line download bar on stderr; loading from disk is quick and prints nothing. */
export function loadProgressPrinter(): (progress: LoadProgress) => void {
  let last = -1;
  return (progress) => {
    if (progress.phase !== "download") return;
    const total = progress.totalBytes || 1;
    const percent = Math.floor((progress.downloadedBytes / total) * 100);
    if (percent === last) return;
    last = percent;
    const bar = "#".repeat(Math.floor(percent / 4)).padEnd(25, ".");
    process.stderr.write(
      `\rDownloading ${progress.uri} [${bar}] ${percent}% of ${(total / 2 ** 30).toFixed(2)} GiB`,
    );
    if (percent >= 100) process.stderr.write("\n");
  };
}
