import type { Expected, ExpectedCall } from "../suite-format/types.js";
import type { EmittedCall } from "./calls.js";

/** `get_weather(city="Paris", unit="celsius")` */
export function formatCall(call: EmittedCall): string {
  const args = Object.entries(call.args ?? {}).map(
    ([key, value]) => `${key}=${JSON.stringify(value)}`,
  );
  return `${call.name}(${args.join(", ")})`;
}

/** `get_weather(city="Paris"|"Paris, France", unit="celsius"|omitted)` */
export function formatExpectedCall(call: ExpectedCall): string {
  const args = Object.entries(call.arguments).map(
    ([key, acceptable]) =>
      `${key}=${acceptable.map((v) => (v === "" ? "omitted" : JSON.stringify(v))).join("|")}`,
  );
  return `${call.name}(${args.join(", ")})`;
}

export function formatExpected(expected: Expected): string {
  if (expected === "none") return "no call";
  if (expected === "any") return "any call to an offered tool";
  return expected.map((set) => set.map(formatExpectedCall).join(" + ")).join("  OR  ");
}

export function formatCalls(calls: EmittedCall[]): string {
  return calls.length === 0 ? "no call" : calls.map(formatCall).join(" + ");
}
