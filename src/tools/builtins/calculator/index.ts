export {
  CALCULATOR_FUNCTIONS,
  CalculatorError,
  evaluateExpression,
  formatNumber,
} from "./evaluate.js";
export { calculatorSchema, createCalculatorTool } from "./tool.js";
