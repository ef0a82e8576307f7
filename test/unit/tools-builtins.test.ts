import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { ToolMessage } from "@langchain/core/messages";
import { z } from "zod";
import {
  builtinTools,
  compileTools,
  createCurrentTimeTool,
  createSearchDocumentsTool,
  defineTool,
  executeToolCall,
  formatZonedTime,
  type SearchHit,
  type ToolLike,
} from "../../src/tools/index.js";

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/docs");

async function search(query: string, k?: number, folder = DOCS) {
  const searchTool = createSearchDocumentsTool({ folder });
  const message = (await searchTool.invoke({
    type: "tool_call",
    id: "call-1",
    name: "search_documents",
    args: k === undefined ? { query } : { query, k },
  })) as ToolMessage;
  return { text: String(message.content), hits: (message.artifact ?? []) as SearchHit[] };
}

describe("current_time", () => {
  const instant = new Date("2024-01-15T12:00:30.250Z");
  const summer = new Date("2024-07-15T12:00:30Z");

  it("formats ISO 8601 with the zone's own offset, daylight saving included", () => {
    assert.deepEqual(formatZonedTime(instant, "Europe/Paris"), {
      iso: "2024-01-15T13:00:30+01:00",
      timeZone: "Europe/Paris",
      weekday: "Monday",
    });
    assert.equal(formatZonedTime(summer, "Europe/Paris").iso, "2024-07-15T14:00:30+02:00");
    assert.equal(formatZonedTime(instant, "Asia/Kolkata").iso, "2024-01-15T17:30:30+05:30");
    assert.equal(formatZonedTime(instant, "Asia/Kolkata").timeZone, "Asia/Kolkata");
    assert.equal(formatZonedTime(instant, "America/New_York").iso, "2024-01-15T07:00:30-05:00");
    assert.equal(formatZonedTime(instant, "UTC").iso, "2024-01-15T12:00:30+00:00");
  });

  it("answers for the local zone when none is given", async () => {
    const clock = createCurrentTimeTool({ now: () => instant });
    const answer = await clock.invoke({});
    assert.match(answer, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d \(\w+day, time zone .+\)$/);
    assert.equal(Date.parse(answer.split(" ")[0]), Date.parse("2024-01-15T12:00:30Z"));
  });

  it("answers for a named zone", async () => {
    const clock = createCurrentTimeTool({ now: () => instant });
    assert.equal(
      await clock.invoke({ timezone: "Asia/Tokyo" }),
      "2024-01-15T21:00:30+09:00 (Monday, time zone Asia/Tokyo)",
    );
  });

  it("rejects an unknown time zone with what to use instead", async () => {
    const clock = createCurrentTimeTool({ now: () => instant });
    await assert.rejects(
      clock.invoke({ timezone: "Mars/Olympus_Mons" }),
      /Unknown time zone "Mars\/Olympus_Mons".*IANA/s,
    );
    assert.throws(() => formatZonedTime(instant, "Nowhere"), /Unknown time zone "Nowhere"/);
    const compiled = compileTools([clock]).tools[0];
    const checked = compiled.validate({ timezone: "Nowhere" });
    assert.ok(!checked.ok && /timezone: Unknown time zone/.test(checked.error));
    assert.deepEqual(compiled.validate({ timezone: null }), { ok: true, value: {} });
  });
});

describe("search_documents over examples/docs", () => {
  it("ranks the passage that answers the question first, with its file name", async () => {
    const expectations: [string, string][] = [
      ["How many tool rounds does the graph allow?", "agent-graph.md"],
      ["Which model fits in my memory?", "model-selection.md"],
      ["Is the calculator safe without eval?", "tools-and-grammars.md"],
      ["Why does the thread count matter for speed?", "model-selection.md"],
      ["What does hearth eval report?", "cli.md"],
      ["Does anything leave the machine? API keys, cloud, telemetry", "what-is-hearth.md"],
    ];
    for (const [query, file] of expectations) {
      const { text, hits } = await search(query);
      assert.equal(hits[0]?.source, file, `${query} → ${hits.map((hit) => hit.source).join(", ")}`);
      assert.ok(text.startsWith(`[1] ${file}`), text.slice(0, 80));
      for (let index = 1; index < hits.length; index++) {
        assert.ok(hits[index - 1].score >= hits[index].score);
      }
    }
  });

  it("matches whole words regardless of case, and plurals", async () => {
    const { hits } = await search("CHECKPOINTERS");
    assert.equal(hits[0]?.source, "agent-graph.md");
    assert.ok(hits[0].text.includes("checkpointer"));
  });

  it("returns k passages at most and says when nothing matches", async () => {
    const { hits } = await search("model", 2);
    assert.equal(hits.length, 2);
    const none = await search("xylophone quasar");
    assert.deepEqual(none.hits, []);
    assert.match(none.text, /No passage matches "xylophone quasar"/);
    const stopwords = await search("what is the");
    assert.deepEqual(stopwords.hits, []);
  });

  describe("on another folder", () => {
    let folder = "";
    before(async () => {
      folder = await mkdtemp(path.join(tmpdir(), "hearth-docs-"));
      await mkdir(path.join(folder, "nested"));
      await mkdir(path.join(folder, ".hidden"));
      await writeFile(path.join(folder, "notes.txt"), "Alpacas eat hay.\n\nLlamas carry loads.");
      await writeFile(path.join(folder, "nested", "deep.md"), "# Zebras\nZebras have stripes.");
      await writeFile(path.join(folder, ".hidden", "secret.md"), "Zebras secret zebras.");
      await writeFile(path.join(folder, "image.png"), "Zebras zebras zebras");
    });
    after(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it("reads .txt and nested .md files, skipping hidden and other files", async () => {
      const zebras = await search("zebras", 10, folder);
      assert.deepEqual(
        zebras.hits.map((hit) => [hit.source, hit.heading]),
        [["nested/deep.md", "Zebras"]],
      );
      const llamas = await search("llamas", 10, folder);
      assert.equal(llamas.hits[0]?.source, "notes.txt");
    });
  });

  it("fails clearly for a folder that does not exist", () => {
    assert.throws(
      () => createSearchDocumentsTool({ folder: "/no/such/folder" }),
      /"\/no\/such\/folder" is not a folder/,
    );
  });
});

describe("builtinTools", () => {
  it("returns calculator and current_time, plus search_documents with a folder", () => {
    assert.deepEqual(
      builtinTools().map((t) => t.name),
      ["calculator", "current_time"],
    );
    const withDocs = builtinTools({ docsFolder: DOCS });
    assert.deepEqual(
      withDocs.map((t) => t.name),
      ["calculator", "current_time", "search_documents"],
    );
    const set = compileTools(withDocs);
    assert.deepEqual(
      set.tools.map((t) => t.modelName),
      ["calculator", "current_time", "search_documents"],
    );
  });
});

describe("defineTool and executeToolCall", () => {
  it("runs a valid call and answers with a ToolMessage for that call", async () => {
    let seen: unknown;
    const greet = defineTool({
      name: "greet.person",
      description: "Greets",
      schema: z.object({ name: z.string(), title: z.string().optional() }),
      func: (input) => {
        seen = input;
        return `Hello ${input.title ?? ""}${input.name}`;
      },
    });
    const message = await executeToolCall([greet], {
      id: "c1",
      name: "greet.person",
      args: { name: "Ada", title: null },
    });
    assert.equal(message.content, "Hello Ada");
    assert.equal(message.tool_call_id, "c1");
    assert.notEqual(message.status, "error");
    assert.deepEqual(seen, { name: "Ada" });
  });

  it("turns invalid arguments into an error ToolMessage without running the tool", async () => {
    let runs = 0;
    const add = defineTool({
      name: "add",
      description: "Adds",
      schema: z.object({ a: z.number(), b: z.number() }),
      func: ({ a, b }) => {
        runs++;
        return String(a + b);
      },
    });
    const message = await executeToolCall([add], { id: "c2", name: "add", args: { a: "1" } });
    assert.equal(runs, 0);
    assert.equal(message.status, "error");
    assert.equal(message.tool_call_id, "c2");
    assert.match(String(message.content), /Invalid arguments for tool "add": a: .*; b: /);
  });

  it("reports unknown tools, definition-only tools and thrown errors as error messages", async () => {
    const definitionOnly: ToolLike = {
      type: "function",
      function: {
        name: "remote",
        description: "r",
        parameters: { type: "object", properties: {} },
      },
    };
    const broken = defineTool({
      name: "broken",
      description: "b",
      schema: z.object({}),
      func: () => {
        throw new Error("disk on fire");
      },
    });
    const tools = [definitionOnly, broken];
    const unknown = await executeToolCall(tools, { id: "1", name: "ghost", args: {} });
    assert.match(String(unknown.content), /no tool "ghost".*remote, broken/);
    const remote = await executeToolCall(tools, { id: "2", name: "remote", args: {} });
    assert.match(String(remote.content), /has no implementation/);
    const fire = await executeToolCall(tools, { id: "3", name: "broken", args: {} });
    assert.equal(fire.status, "error");
    assert.match(String(fire.content), /disk on fire/);
  });

  it("stops a tool at its timeout, aborting its signal", async () => {
    let aborted = false;
    const slow = defineTool({
      name: "slow",
      description: "s",
      schema: z.object({}),
      timeoutMs: 30,
      func: (_input, config) =>
        new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve("late"), 5_000);
          config.signal?.addEventListener("abort", () => {
            aborted = true;
            clearTimeout(timer);
          });
        }),
    });
    const message = await executeToolCall([slow], { id: "t", name: "slow", args: {} });
    assert.equal(message.status, "error");
    assert.match(String(message.content), /did not finish within 30 ms/);
    assert.equal(aborted, true);
  });

  it("rejects a bad timeout", () => {
    assert.throws(
      () =>
        defineTool({
          name: "x",
          description: "x",
          schema: z.object({}),
          timeoutMs: 0,
          func: () => "",
        }),
      /timeoutMs must be a positive number/,
    );
  });

  it("passes search_documents' artifact through", async () => {
    const message = await executeToolCall(builtinTools({ docsFolder: DOCS }), {
      id: "s",
      name: "search_documents",
      args: { query: "grammar tool calls", k: 1 },
    });
    assert.equal((message.artifact as SearchHit[]).length, 1);
    assert.match(String(message.content), /^\[1\] \S+\.md/);
  });
});
