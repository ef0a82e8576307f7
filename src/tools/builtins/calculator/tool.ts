import { z } from "zod";
import { defineTool } from "../../define-tool.js";
import { CALCULATOR_FUNCTIONS, evaluateExpression, formatNumber } from "./evaluate.js";

export const calculatorSchema = z.object({
  expression: z
    .string()
    .min(1)
    // Bounded so a grammar-forced call always ends (random-weight test models ramble).
    .max(300)
    .describe("An arithmetic expression, e.g. (12.5 + 7) * 3 / 2 or sqrt(2) ^ 2"),
});

export function createCalculatorTool() {
  return defineTool({
    name: "calculator",
    description: `Evaluates arithmetic exactly: + - * / % (modulo) ^ (power), parentheses, constants pi and e, functions ${CALCULATOR_FUNCTIONS.join(", ")} (log is base 10, ln is natural). Use it instead of computing numbers yourself.`,
    schema: calculatorSchema,
    func: ({ expression }) => formatNumber(evaluateExpression(expression)),
  });
}
