import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";

/** The value of one sample line of the text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("hearth serve: GET /metrics", () => {
  let served: ServedTestModel;
  let model: string;
  before(async () => {
    // One sequence and room for one waiter, so a third concurrent request is refused.
    // The holder's reply is capped at the room its context has left: 8192 tokens keep it
    // generating for seconds, well past the checks made while it holds the only sequence.
    served = await serveTestModel({ contextSize: 8192, sequences: 1, maxQueue: 1 });
    model = path.basename(served.chat.modelPath!, ".gguf");
  });
  after(() => served.close());

  it("reports the queue, the refused request, the model's calls and the answers by status", async () => {
    const { server, client } = served;
    const body = (maxTokens: number) =>
      JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: maxTokens });
    const post = (maxTokens: number, signal?: AbortSignal) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: body(maxTokens),
        signal,
      });
    // A long stream holds the only sequence. A random-weight model can sample its end token at
    // any step (it did, now and then, before the abort below), so a grammar keeps it going: an
    // list of at least 1,500 numbers cannot end in fewer than about 3,000 tokens.
    const holder = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model,
        messages: [{ role: "user", content: "Write forever" }],
        max_tokens: 8000,
        stream: true,
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "numbers",
            schema: {
              type: "object",
              properties: {
                numbers: { type: "array", items: { type: "integer" }, minItems: 1500 },
              },
              required: ["numbers"],
            },
          },
        },
      },
      { signal: holder.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    // One request waits, the next is refused.
    const queued = post(4);
    await until("the second request to queue", async () => {
      const health = (await (await fetch(`${server.url}/health`)).json()) as { waiting: number };
      return health.waiting === 1;
    });
    const during = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(sample(during, `hearth_queue_waiting_calls{model="${model}"}`), 1);
    assert.equal(sample(during, `hearth_sequences_busy{model="${model}"}`), 1);
    const refused = await post(4);
    assert.equal(refused.status, 429);
    await refused.text();
    holder.abort();
    const reply = (await (await queued).json()) as { usage: { completion_tokens: number } };

    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const m = `model="${model}"`;
    assert.equal(sample(text, `hearth_rejected_requests_total{${m}}`), 1);
    assert.equal(sample(text, `hearth_queue_waiting_calls{${m}}`), 0);
    assert.equal(sample(text, `hearth_sequences{${m}}`), 1);
    assert.equal(
      sample(text, 'hearth_http_requests_total{path="/v1/chat/completions",status="429"}'),
      1,
    );
    assert.equal(
      sample(text, 'hearth_http_requests_total{path="/v1/chat/completions",status="200"}'),
      1,
      "the queued request; the aborted stream never finished",
    );
    // The server's model calls are recorded without it passing callbacks: one completed, the
    // refused one and the aborted stream as errors.
    assert.equal(
      sample(text, `hearth_model_call_duration_seconds_count{${m},node="none",status="ok"}`),
      1,
    );
    assert.equal(
      sample(text, `hearth_model_call_duration_seconds_count{${m},node="none",status="error"}`),
      2,
    );
    assert.equal(
      sample(text, `hearth_model_tokens_total{${m},type="output"}`),
      reply.usage.completion_tokens,
    );
    assert.ok((sample(text, "process_resident_memory_bytes") ?? 0) > 0);
    assert.equal(server.metrics?.registry !== undefined, true);
  });
});
