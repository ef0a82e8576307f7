import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { ModelFileError } from "../../src/models/load/index.js";

const MISSING = "/nonexistent/never-loaded.gguf";

describe("ChatNodeLlamaCpp options", () => {
  it("refuses a maxTokens that is not a whole number ≥ 1 at construction", () => {
    for (const maxTokens of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1.5]) {
      assert.throws(
        () => new ChatNodeLlamaCpp({ modelPath: MISSING, maxTokens }),
        (error: unknown) =>
          error instanceof RangeError &&
          error.message === `maxTokens must be an integer ≥ 1 (got ${String(maxTokens)})`,
        `maxTokens ${maxTokens}`,
      );
    }
    assert.equal(new ChatNodeLlamaCpp({ modelPath: MISSING, maxTokens: 1 }).fields.maxTokens, 1);
  });

  it("refuses other out-of-range numbers with their name and range", () => {
    const cases: Array<[Record<string, number>, RegExp]> = [
      [{ temperature: -0.1 }, /temperature must be a number ≥ 0/],
      [{ topP: 1.5 }, /topP must be a number from 0 to 1/],
      [{ topK: 2.5 }, /topK must be an integer ≥ 0/],
      [{ sequences: 0 }, /sequences must be an integer ≥ 1/],
      [{ maxQueue: -1 }, /maxQueue must be an integer ≥ 0/],
    ];
    for (const [fields, message] of cases) {
      assert.throws(() => new ChatNodeLlamaCpp({ modelPath: MISSING, ...fields }), message);
    }
  });

  it("checks call options too, before loading anything", async () => {
    const model = new ChatNodeLlamaCpp({ modelPath: MISSING });
    await assert.rejects(model.invoke("hi", { maxTokens: 0 }), /^RangeError: maxTokens must be/);
  });

  it("rejects a call whose signal is already aborted without loading the model", async () => {
    // The file does not exist: a load would fail with ModelFileError, so an AbortError proves
    // the signal was checked first.
    const model = new ChatNodeLlamaCpp({ modelPath: MISSING });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(model.invoke("hi", { signal: controller.signal }), (error: unknown) => {
      assert.ok(!(error instanceof ModelFileError), "the model was not loaded");
      assert.match(String(error), /abort/i);
      return true;
    });
  });
});
