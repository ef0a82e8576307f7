import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

// A resolve hook that refuses the monitoring libraries when Hearth's own source asks for them,
// then imports `specifier`: only the subpaths may load them, never the main entry.
const script = (specifier: string) => `
import { register } from "node:module";
const hook = \`export async function resolve(specifier, context, next) {
  if ((specifier === "prom-client" || specifier.startsWith("@opentelemetry/")) &&
      context.parentURL?.includes("/src/")) {
    throw new Error("MONITORING-LIBRARY " + specifier + " from " + context.parentURL);
  }
  return next(specifier, context);
}\`;
register("data:text/javascript," + encodeURIComponent(hook));
await import(${JSON.stringify(specifier)});
console.log("loaded");
`;

async function importWithGuard(specifier: string): Promise<string> {
  try {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script(specifier)],
      { cwd: root, env: { ...process.env, HEARTH_THREADS: "1" } },
    );
    return stdout.trim();
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

describe("monitoring stays optional", () => {
  it("importing hearth loads neither prom-client nor OpenTelemetry", async () => {
    assert.equal(await importWithGuard("hearth"), "loaded");
  });

  it("the hearth/prometheus and hearth/otel subpaths load them (the guard works)", async () => {
    assert.match(await importWithGuard("hearth/prometheus"), /MONITORING-LIBRARY prom-client/);
    assert.match(await importWithGuard("hearth/otel"), /MONITORING-LIBRARY @opentelemetry\/api/);
  });
});
