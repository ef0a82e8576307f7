import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseBackendSpec } from "../../src/cli/eval-backends.js";
import type { ComparisonReport, EvalReport } from "../../src/eval/index.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.js";
import { testModelPath } from "../helpers/test-models.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

describe("backend specs", () => {
  it("reads GGUF paths, hf: URIs and openai:<model> with a base URL of its own or from --base-url", () => {
    assert.equal(parseBackendSpec("./m.gguf").kind, "gguf");
    assert.deepEqual(parseBackendSpec("hf:Qwen/Qwen3-8B-GGUF:Q4_K_M"), {
      kind: "download",
      spec: "hf:Qwen/Qwen3-8B-GGUF:Q4_K_M",
      uri: "hf:Qwen/Qwen3-8B-GGUF:Q4_K_M",
    });
    assert.deepEqual(parseBackendSpec("openai:qwen3:8b", "http://127.0.0.1:11434/v1"), {
      kind: "openai",
      spec: "openai:qwen3:8b",
      model: "qwen3:8b",
      baseURL: "http://127.0.0.1:11434/v1",
    });
    const own = parseBackendSpec("openai:llama@http://10.0.0.2:8080/v1", "http://ignored/v1");
    assert.equal(own.kind === "openai" && own.baseURL, "http://10.0.0.2:8080/v1");
    assert.throws(() => parseBackendSpec("openai:"), /names no model/);
  });
});

describe("hearth eval --compare", () => {
  let server: OpenAIServer;
  let served: ChatNodeLlamaCpp;
  let modelPath: string;
  const temps: string[] = [];
  before(async () => {
    modelPath = await testModelPath({ family: "qwen" });
    // The endpoint's answers come from a real node-llama-cpp model; only the wire is OpenAI's.
    served = new ChatNodeLlamaCpp({ modelPath });
    server = await startOpenAIServer(served, { apiKey: "sk-hearth-test" });
  });
  after(async () => {
    await server?.close();
    await served?.dispose();
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });

  const hearth = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, ["--import", "tsx", "src/cli.ts", "eval", ...args], {
      cwd: ROOT,
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        OPENAI_API_KEY: "",
        HEARTH_OPENAI_API_KEY: "",
        OPENAI_BASE_URL: "",
        ...env,
      },
    });

  it("runs the same cases on a GGUF and on an OpenAI-compatible endpoint into one report", async () => {
    const out = await mkdtemp(join(tmpdir(), "hearth-compare-"));
    temps.push(out);
    const { stdout } = await hearth(
      [
        "--compare",
        `${modelPath},openai:served-tiny`,
        "--base-url",
        server.baseURL,
        "--limit",
        "8",
        "--tool-choice",
        "required",
        "--out",
        out,
      ],
      { OPENAI_API_KEY: "sk-hearth-test" },
    );
    const report: ComparisonReport = JSON.parse(await readFile(join(out, "compare.json"), "utf8"));
    const host = new URL(server.baseURL).host;
    assert.deepEqual(
      report.backends.map((b) => b.label),
      [basename(modelPath), `openai:served-tiny@${host}`],
    );
    assert.equal(report.suite.selectedCases, 8);
    assert.equal(report.options.parallelToolCalls, true);

    // Every case of the second backend went over the wire, in OpenAI's format, with the key from the environment.
    assert.equal(server.requests.length, 8);
    for (const request of server.requests) {
      assert.equal(request.model, "served-tiny");
      assert.equal(request.tool_choice, "required");
      assert.equal(request.parallel_tool_calls, true);
      const tools = request.tools as { type: string; function: { name: string } }[];
      assert.ok(tools.length > 0 && tools.every((t) => t.type === "function" && t.function.name));
    }

    const [local, remote] = report.backends;
    for (const backend of [local, remote]) {
      assert.equal(backend.summary.cases, 8);
      assert.equal(backend.summary.errors, 0);
      // Both answer under Hearth's grammar, so every call validates, across the wire too.
      assert.ok(backend.summary.emittedCalls >= 8);
      assert.equal(backend.summary.schemaValidRate, 1);
      assert.ok(backend.summary.outputTokens > 0, "token usage crosses the wire");
      const n = Object.values(backend.byCategory).reduce((sum, c) => sum + c.n, 0);
      assert.equal(n, 8);
    }
    // The same case ids on both, and the figures agree with each backend's own report.
    const own: EvalReport = JSON.parse(
      await readFile(join(out, "backend-2", "report.json"), "utf8"),
    );
    assert.equal(own.summary.accuracy, remote.summary.accuracy);
    assert.deepEqual(
      own.results.map((r) => r.id),
      (
        JSON.parse(await readFile(join(out, "backend-1", "report.json"), "utf8")) as EvalReport
      ).results.map((r) => r.id),
    );

    const md = await readFile(join(out, "compare.md"), "utf8");
    assert.ok(md.includes(`| ${basename(modelPath)} |`));
    assert.ok(md.includes(`| openai:served-tiny@${host} |`));
    assert.match(md, /## By category/);
    const html = await readFile(join(out, "compare.html"), "utf8");
    assert.equal(html.match(/id="comparison-chart"/g)?.length, 1, "one chart");
    assert.ok(html.includes(`data-backend="openai:served-tiny@${host}"`));
    assert.match(stdout, /served-tiny/);
  });

  it("refuses a wrong key with the server's own error, and a missing one before any request", async () => {
    const out = await mkdtemp(join(tmpdir(), "hearth-compare-"));
    temps.push(out);
    const before = server.requests.length;
    const { stdout } = await hearth(
      ["--model", "openai:served-tiny", "--base-url", server.baseURL, "--limit", "1", "--out", out],
      { OPENAI_API_KEY: "sk-wrong" },
    );
    const report: EvalReport = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    assert.equal(report.summary.errors, 1);
    assert.match(report.results[0].error ?? "", /401|bad API key/);
    assert.equal(server.requests.length, before, "rejected before the model ran");
    assert.match(stdout, /overall/);

    await assert.rejects(
      hearth(["--model", "openai:gpt-4o-mini", "--limit", "1"]),
      (error: { stderr: string }) =>
        /set OPENAI_API_KEY \(or HEARTH_OPENAI_API_KEY\)/.test(error.stderr),
    );
  });
});
