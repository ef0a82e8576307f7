import type { CliCommand } from "./command.js";

// Each command module is imported lazily so `hearth select` does not pay for loading the graph or eval code.
export const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  "make-test-model": async () => (await import("./commands/make-test-model.js")).command,
  select: async () => (await import("./commands/select.js")).command,
  pull: async () => (await import("./commands/pull.js")).command,
  eval: async () => (await import("./commands/eval.js")).command,
  graph: async () => (await import("./commands/graph.js")).command,
  bench: async () => (await import("./commands/bench.js")).command,
  ask: async () => (await import("./commands/ask.js")).command,
  demo: async () => (await import("./commands/demo.js")).command,
  serve: async () => (await import("./commands/serve.js")).command,
};
