export const percent = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? "n/a" : `${(value * 100).toFixed(digits)}%`;

export const millis = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

export function bytes(value: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${scaled.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export const perSecond = (value: number | null) =>
  value === null ? "n/a" : `${value.toFixed(1)} tok/s`;

/** The model's name as reports show it: its GGUF name, else the file's base name. */
export function modelLabel(model: { name?: string; file?: string }): string {
  return model.name ?? model.file?.split(/[\\/]/).pop() ?? "unknown model";
}

/** Interesting GGUF metadata keys, in display order; the rest is in report.json. */
export const METADATA_KEYS = [
  "general.name",
  "general.architecture",
  "general.file_type",
  "general.size_label",
  "general.quantized_by",
  "hearth.generated",
];
