export {
  BFCL_COLUMNS,
  BFCL_V3,
  BFCL_V3_GPT35,
  BFCL_V4,
  type BfclRow,
  type BfclSnapshot,
} from "./bfcl-reference.js";
export {
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonTerminal,
  type WrittenComparison,
  writeComparison,
} from "./compare.js";
export { renderHtml } from "./html.js";
export { renderMarkdown, summaryRows } from "./markdown.js";
export { barChartSvg, histogramSvg } from "./svg.js";
export { renderTerminalTable } from "./terminal.js";
export { type WrittenReports, writeReports } from "./write.js";
