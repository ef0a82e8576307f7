import type { EvalReport } from "../runner/types.js";
import { bytes, METADATA_KEYS, modelLabel } from "./format.js";

/** Label/value lines describing the model and the run, shared by the Markdown and HTML reports. */
export function modelFacts(report: EvalReport): [string, string][] {
  const { model, suite, options } = report;
  const facts: [string, string][] = [["Model", modelLabel(model)]];
  if (model.file) facts.push(["File", model.file]);
  if (model.sizeBytes !== undefined) facts.push(["Size", bytes(model.sizeBytes)]);
  facts.push([
    "Weights",
    model.randomWeights ? "random (generated test model): accuracy is chance" : "as published",
  ]);
  for (const key of METADATA_KEYS) {
    const value = model.metadata?.[key];
    if (value !== undefined && key !== "general.name") facts.push([key, String(value)]);
  }
  facts.push(
    [
      "Suite",
      `${suite.name} (${suite.selectedCases} of ${suite.totalCases} cases; source ${suite.source})`,
    ],
    [
      "Mode",
      options.mode === "graph"
        ? "graph (full agent runs)"
        : `model (tool choice ${options.toolChoice})`,
    ],
    ["Date", report.createdAt],
  );
  return facts;
}
