import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type ToolCallStreamEvent,
  ToolCallStreamParser,
} from "../../src/models/chat/tool-call-stream.js";

/** Feeds `text` in pieces of `size` characters and gathers each call's name and arguments text. */
function read(text: string, size: number) {
  const parser = new ToolCallStreamParser();
  const events: ToolCallStreamEvent[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
  const calls: { name?: string; args: string }[] = [];
  for (const event of events) {
    calls[event.index] ??= { args: "" };
    if (event.type === "name") calls[event.index].name = event.name;
    else calls[event.index].args += event.delta;
  }
  return { events, calls };
}

describe("ToolCallStreamParser", () => {
  const single =
    '{"name": "weather_get", "arguments": {"city": "Oslo, \\"N\\" {x}", "days": [1, 2], "unit": null}}';
  const parallel =
    '[{"name":"a_b","arguments":{"q":"}]"}}, {"name": "c\\u0041", "arguments": {"n": {"deep": [{}]}}}]';

  for (const size of [1, 3, 7, 1000]) {
    it(`splits one call and parallel calls into names and argument text (pieces of ${size})`, () => {
      const one = read(single, size);
      assert.equal(one.calls.length, 1);
      assert.equal(one.calls[0].name, "weather_get");
      assert.deepEqual(JSON.parse(one.calls[0].args), JSON.parse(single).arguments);
      // The name is known before any of the arguments arrive.
      assert.equal(one.events[0].type, "name");

      const many = read(parallel, size);
      assert.deepEqual(
        many.calls.map((c) => [c.name, JSON.parse(c.args)]),
        JSON.parse(parallel).map((c: { name: string; arguments: unknown }) => [
          c.name,
          c.arguments,
        ]),
      );
    });
  }

  it("reports arguments as they arrive, not only at the end", () => {
    const parser = new ToolCallStreamParser();
    const cut = single.indexOf("Oslo") + 2;
    const first = parser.push(single.slice(0, cut));
    assert.deepEqual(first[0], { type: "name", index: 0, name: "weather_get" });
    assert.equal(first[1].type === "args" && first[1].delta, ' {"city": "Os');
    const rest = parser.push(single.slice(cut));
    assert.ok(rest.every((e) => e.type === "args"));
  });
});
