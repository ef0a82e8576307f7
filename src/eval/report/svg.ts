import { millis } from "./format.js";

export const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Vertical grid lines at 0, 25, 50, 75 and 100% with their labels under the plot. */
function percentGrid(left: number, plot: number, top: number, bottom: number, height: number) {
  return [0, 0.25, 0.5, 0.75, 1].flatMap((tick) => {
    const x = left + tick * plot;
    return [
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${bottom}" class="grid"/>`,
      `<text x="${x}" y="${height - 10}" text-anchor="middle" class="axis">${tick * 100}%</text>`,
    ];
  });
}

export interface Bar {
  label: string;
  /** 0..1 */
  value: number;
  detail: string;
}

/** Horizontal bars (accuracy per category), one row each, with a 0-100% axis. */
export function barChartSvg(bars: Bar[], title: string): string {
  const width = 640;
  const left = 150;
  const right = 110;
  const rowHeight = 28;
  const top = 30;
  const plot = width - left - right;
  const height = top + bars.length * rowHeight + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="category-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${left}" y="18" class="chart-title">${escapeXml(title)}</text>`,
  ];
  parts.push(...percentGrid(left, plot, top, top + bars.length * rowHeight, height));
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const w = Math.max(0, Math.min(1, bar.value)) * plot;
    parts.push(
      `<text x="${left - 8}" y="${y + 18}" text-anchor="end" class="label">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowHeight - 10}" class="bar" data-category="${escapeXml(bar.label)}"><title>${escapeXml(`${bar.label}: ${bar.detail}`)}</title></rect>`,
      `<text x="${left + plot + 8}" y="${y + 18}" class="value">${escapeXml(bar.detail)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Counts of case latencies in equal-width bins, with p50 and p95 marked. */
export function histogramSvg(
  latenciesMs: number[],
  p50: number,
  p95: number,
  title: string,
): string {
  const width = 640;
  const height = 240;
  const left = 50;
  const right = 20;
  const top = 30;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="latency-histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${left}" y="18" class="chart-title">${escapeXml(title)}</text>`,
  ];
  if (latenciesMs.length === 0) {
    parts.push(`<text x="${left}" y="${top + 20}" class="axis">no cases</text>`, "</svg>");
    return parts.join("\n");
  }
  const min = Math.min(...latenciesMs);
  const max = Math.max(...latenciesMs);
  const binCount = Math.min(20, Math.max(1, Math.ceil(Math.sqrt(latenciesMs.length))));
  const span = max - min || 1;
  const binWidth = span / binCount;
  const counts = new Array(binCount).fill(0);
  for (const value of latenciesMs)
    counts[Math.min(binCount - 1, Math.floor((value - min) / binWidth))]++;
  const peak = Math.max(...counts);
  const xOf = (ms: number) => left + ((ms - min) / span) * plotW;
  counts.forEach((count, i) => {
    const h = (count / peak) * plotH;
    const x = left + (i / binCount) * plotW;
    const from = min + i * binWidth;
    parts.push(
      `<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, plotW / binCount - 2).toFixed(1)}" height="${h.toFixed(1)}" class="bin"><title>${escapeXml(`${millis(from)}–${millis(from + binWidth)}: ${count} case(s)`)}</title></rect>`,
    );
  });
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" class="grid"/>`,
    `<text x="${left}" y="${top + plotH + 18}" class="axis">${escapeXml(millis(min))}</text>`,
    `<text x="${left + plotW}" y="${top + plotH + 18}" text-anchor="end" class="axis">${escapeXml(millis(max))}</text>`,
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" class="axis">${peak}</text>`,
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" class="axis">latency per case (count of cases per bin)</text>`,
  );
  for (const [name, value] of [
    ["p50", p50],
    ["p95", p95],
  ] as const) {
    const x = xOf(value);
    // Labels near the right edge go on the marker's left so they stay inside the chart.
    const leftSide = x > left + plotW * 0.75;
    parts.push(
      `<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${top + plotH}" class="marker"/>`,
      `<text x="${(leftSide ? x - 3 : x + 3).toFixed(1)}" y="${top + 12 + (name === "p95" ? 14 : 0)}"${leftSide ? ' text-anchor="end"' : ""} class="marker-label">${name} ${escapeXml(millis(value))}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** One group of horizontal bars per row label (a category), one bar per series (a backend). */
export function groupedBarChartSvg(
  groups: { label: string; bars: Bar[] }[],
  series: string[],
  title: string,
): string {
  const width = 720;
  const left = 150;
  const right = 120;
  const barHeight = 14;
  const gap = 10;
  const top = 30 + 18 * series.length;
  const plot = width - left - right;
  const groupHeight = series.length * barHeight + gap;
  const height = top + groups.length * groupHeight + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="comparison-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${left}" y="18" class="chart-title">${escapeXml(title)}</text>`,
  ];
  series.forEach((name, s) => {
    const y = 28 + s * 18;
    parts.push(
      `<rect x="${left}" y="${y}" width="12" height="12" class="series-${s % 6}"/>`,
      `<text x="${left + 18}" y="${y + 11}" class="label">${escapeXml(name)}</text>`,
    );
  });
  parts.push(...percentGrid(left, plot, top, top + groups.length * groupHeight, height));
  groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    parts.push(
      `<text x="${left - 8}" y="${y0 + (series.length * barHeight) / 2 + 4}" text-anchor="end" class="label">${escapeXml(group.label)}</text>`,
    );
    group.bars.forEach((bar, s) => {
      const y = y0 + s * barHeight;
      const w = Math.max(0, Math.min(1, bar.value)) * plot;
      parts.push(
        `<rect x="${left}" y="${y + 1}" width="${w.toFixed(1)}" height="${barHeight - 2}" class="series-${s % 6}" data-category="${escapeXml(group.label)}" data-backend="${escapeXml(bar.label)}"><title>${escapeXml(`${group.label}, ${bar.label}: ${bar.detail}`)}</title></rect>`,
        `<text x="${left + plot + 8}" y="${y + barHeight - 3}" class="value">${escapeXml(bar.detail)}</text>`,
      );
    });
  });
  parts.push("</svg>");
  return parts.join("\n");
}
