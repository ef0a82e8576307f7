import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCliArgs, parseNumberFlag } from "../../src/cli/args.js";
import { CliUsageError } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

/** Runs the CLI in-process and returns its exit code and what it printed on stderr. */
async function cli(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await main(argv), stderr: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

describe("parseNumberFlag: one reading and one wording for every numeric flag", () => {
  it("returns the number inside the range, undefined when the flag is absent", () => {
    assert.equal(parseNumberFlag("--limit", "20", { integer: true, min: 1 }), 20);
    assert.equal(parseNumberFlag("--vram", "7.5", { min: 0 }), 7.5);
    assert.equal(parseNumberFlag("--seed", "-3", { integer: true }), -3);
    assert.equal(parseNumberFlag("--limit", undefined, { integer: true, min: 1 }), undefined);
  });

  it("states the range and what it got", () => {
    const cases: Array<[string, string, Parameters<typeof parseNumberFlag>[2], string]> = [
      ["--limit", "-1", { integer: true, min: 1 }, "--limit must be an integer ≥ 1 (got -1)"],
      ["--limit", "1.5", { integer: true, min: 1 }, "--limit must be an integer ≥ 1 (got 1.5)"],
      ["--vram", "-5", { min: 0 }, "--vram must be a number ≥ 0 (got -5)"],
      ["--vram", "lots", { min: 0 }, '--vram must be a number ≥ 0 (got "lots")'],
      ["--vram", "", { min: 0 }, '--vram must be a number ≥ 0 (got "")'],
      ["--ram", "Infinity", { min: 0 }, "--ram must be a number ≥ 0 (got Infinity)"],
      [
        "--n",
        "11",
        { integer: true, min: 1, max: 10 },
        "--n must be an integer from 1 to 10 (got 11)",
      ],
      ["--seed", "x", { integer: true }, '--seed must be an integer (got "x")'],
    ];
    for (const [flag, value, range, message] of cases) {
      assert.throws(
        () => parseNumberFlag(flag, value, range),
        (error: unknown) => error instanceof CliUsageError && error.message === message,
        `${flag} ${value}`,
      );
    }
  });
});

describe("parseCliArgs: a negative number after a flag is its value", () => {
  const options = { limit: { type: "string" }, json: { type: "boolean" } } as const;

  it("reads `--limit -1` as the value -1, not as an unknown flag", () => {
    assert.equal(parseCliArgs({ args: ["--limit", "-1"], options }).values.limit, "-1");
    assert.equal(parseCliArgs({ args: ["--limit", "-0.5"], options }).values.limit, "-0.5");
    assert.equal(parseCliArgs({ args: ["--limit=-2"], options }).values.limit, "-2");
  });

  it("keeps flags after boolean options, and reports unknown flags as usage errors", () => {
    assert.throws(
      () => parseCliArgs({ args: ["--json", "-1"], options }),
      (error: unknown) => error instanceof CliUsageError && /-1/.test(error.message),
    );
    assert.throws(() => parseCliArgs({ args: ["--nope"], options }), CliUsageError);
  });
});

describe("the CLI's numeric flags, end to end (nothing is loaded)", () => {
  it("`hearth eval --limit -1` says the range instead of 'argument is ambiguous'", async () => {
    const { code, stderr } = await cli("eval", "--model", "x.gguf", "--limit", "-1");
    assert.equal(code, 2);
    assert.match(stderr, /--limit must be an integer ≥ 1 \(got -1\)/);
    assert.doesNotMatch(stderr, /ambiguous/);
  });

  it("`hearth select --vram=-5` and `--vram -5` both state the range", async () => {
    for (const args of [["--vram=-5"], ["--vram", "-5"]]) {
      const { code, stderr } = await cli("select", "--gpu", "cuda", ...args);
      assert.equal(code, 2, args.join(" "));
      assert.match(stderr, /--vram must be a number ≥ 0 \(got -5\)/);
    }
  });

  it("`--cores 0` and `--max-tokens 1.5` use the same wording", async () => {
    const cores = await cli("select", "--gpu", "none", "--cores", "0");
    assert.match(cores.stderr, /--cores must be an integer ≥ 1 \(got 0\)/);
    const tokens = await cli("ask", "hello", "--max-tokens", "1.5");
    assert.equal(tokens.code, 2);
    assert.match(tokens.stderr, /--max-tokens must be an integer ≥ 1 \(got 1\.5\)/);
  });
});
