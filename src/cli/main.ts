import { CliUsageError } from "./command.js";
import { COMMANDS } from "./registry.js";

async function printHelp(): Promise<void> {
  const lines = ["hearth: local-first tool-using agents on GGUF models", "", "Commands:"];
  for (const load of Object.values(COMMANDS)) {
    const command = await load();
    lines.push(`  ${command.name.padEnd(16)} ${command.summary}`);
  }
  lines.push("", "Run `hearth <command> --help` for a command's options.");
  console.log(lines.join("\n"));
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    await printHelp();
    return name === undefined ? 1 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`hearth: unknown command "${name}". Run \`hearth --help\` for the list.`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`hearth ${name}: ${error.message}\nUsage: ${command.usage}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`hearth ${name}: ${message}`);
    if (process.env.HEARTH_DEBUG && error instanceof Error) console.error(error.stack);
    return 1;
  }
}
