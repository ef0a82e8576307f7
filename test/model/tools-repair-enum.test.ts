import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import {
  compileTool,
  compileTools,
  repairEnumTypes,
  ToolDefinitionError,
} from "../../src/tools/index.js";
import { normalizeToolSchema } from "../../src/tools/schema/index.js";

import { testModelPath } from "../helpers/test-models.js";

// Shaped like BFCL v4 live entries: a boolean and an integer whose enums hold strings.
const findProvider = {
  type: "function" as const,
  function: {
    name: "Services_1_FindProvider",
    description: "Search for a hair stylist by city and optionally other attributes",
    parameters: {
      type: "object",
      properties: {
        // Bounded so a random-weight model finishes the string within maxTokens.
        city: { type: "string", maxLength: 12, description: "City where the salon is located" },
        is_unisex: {
          type: "boolean",
          description: "Whether the salon is unisex",
          enum: ["True", "False", "dontcare"],
          default: "dontcare",
        },
        rating: { type: "integer", enum: ["1", "2", "3", "4", "5"] },
        tags: { type: "array", items: { type: "boolean", enum: ["True", "False"] } },
      },
      required: ["city"],
    },
  },
};
const bookAppointment = {
  type: "function" as const,
  function: {
    name: "Services_1_BookAppointment",
    description: "Book an appointment",
    parameters: {
      type: "object",
      properties: { stylist_name: { type: "string", maxLength: 12 } },
      required: ["stylist_name"],
    },
  },
};

describe("enum values that do not match the declared type", () => {
  it("read literally, the schema is rejected (what the repair exists for)", () => {
    assert.throws(
      () =>
        normalizeToolSchema(findProvider.function.parameters, {
          toolName: "Services_1_FindProvider",
          validator: "json-schema",
        }),
      (error: unknown) =>
        error instanceof ToolDefinitionError &&
        /no enum value matches the declared type "boolean".*Declare the type the values have.*repaired automatically/.test(
          error.message,
        ),
    );
  });

  it("widens the type to what the enum holds and records each repair with its conversions", () => {
    const { schema, repairs } = repairEnumTypes(findProvider.function.parameters);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.is_unisex.type, "string");
    assert.equal(props.rating.type, "string");
    assert.equal((props.tags.items as Record<string, unknown>).type, "string");
    assert.equal(
      props.city,
      findProvider.function.parameters.properties.city,
      "untouched nodes are shared",
    );
    assert.deepEqual(
      repairs.map((r) => [r.path, r.declared, r.widenedTo, r.valuePath]),
      [
        ["#/properties/is_unisex", ["boolean"], ["string"], ["is_unisex"]],
        ["#/properties/rating", ["integer"], ["string"], ["rating"]],
        ["#/properties/tags/items", ["boolean"], ["string"], ["tags", "[]"]],
      ],
    );
    assert.deepEqual(repairs[0].conversions, [
      ["True", true],
      ["False", false],
    ]);
    // The input is not modified.
    assert.equal(findProvider.function.parameters.properties.is_unisex.type, "boolean");
    // A well-formed schema comes back as the same object.
    const fine = { type: "object", properties: { a: { type: "string", enum: ["x"] } } };
    assert.equal(repairEnumTypes(fine).schema, fine);
  });

  it("compiles the tool: the grammar holds the enum values, the tool gets the declared types", () => {
    const compiled = compileTool(findProvider);
    assert.equal(compiled.repairs.length, 3);
    const grammarProps = (
      compiled.grammarSchema as unknown as {
        properties: Record<string, { oneOf: { enum?: unknown[] }[] }>;
      }
    ).properties;
    assert.deepEqual(grammarProps.is_unisex.oneOf[0].enum, ["True", "False", "dontcare"]);

    const ok = compiled.validate({ city: "Oslo", is_unisex: "True", rating: "4", tags: ["False"] });
    assert.deepEqual(ok, {
      ok: true,
      value: { city: "Oslo", is_unisex: true, rating: 4, tags: [false] },
    });
    // Arguments already in the declared types (a LangChain tool call validated twice) pass again.
    assert.deepEqual(compiled.validate({ city: "Oslo", is_unisex: false, rating: 2 }), {
      ok: true,
      value: { city: "Oslo", is_unisex: false, rating: 2 },
    });
    // A value only the enum spells stays as written; anything else is still refused.
    assert.deepEqual(compiled.validate({ city: "Oslo", is_unisex: "dontcare" }), {
      ok: true,
      value: { city: "Oslo", is_unisex: "dontcare" },
    });
    const bad = compiled.validate({ city: "Oslo", is_unisex: "maybe", rating: 9 });
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /is_unisex/);
    assert.match((bad as { error: string }).error, /rating/);
  });

  it("does not repair Zod tools (their enums cannot contradict their type)", () => {
    const zodTool = tool(async () => "", {
      name: "t",
      description: "d",
      schema: z.object({ flag: z.enum(["True", "False"]) }),
    });
    assert.equal(compileTool(zodTool).repairs.length, 0);
  });

  describe("bound to a real model", () => {
    let chat: ChatNodeLlamaCpp | undefined;
    after(async () => chat?.dispose());

    it("the repaired tool binds with its siblings, and a forced call reaches the caller in the declared types", async () => {
      chat = new ChatNodeLlamaCpp({
        modelPath: await testModelPath(),
        maxTokens: 256,
        contextSize: 4096,
      });
      assert.equal(compileTools([findProvider, bookAppointment]).tools.length, 2);
      const bound = chat.bindTools([findProvider, bookAppointment], {
        tool_choice: "Services_1_FindProvider",
      });
      const seen: unknown[] = [];
      for (const seed of [1, 2, 3, 4]) {
        const reply = await bound.invoke([new HumanMessage("Find a unisex salon in Oslo")], {
          seed,
          temperature: 1,
        });
        assert.equal(reply.tool_calls?.length, 1, JSON.stringify(reply.invalid_tool_calls));
        const args = reply.tool_calls![0].args;
        seen.push(args.is_unisex, args.rating, ...((args.tags as unknown[] | undefined) ?? []));
        if ("is_unisex" in args) assert.ok([true, false, "dontcare"].includes(args.is_unisex));
        if ("rating" in args) assert.ok([1, 2, 3, 4, 5].includes(args.rating));
        for (const item of (args.tags as unknown[] | undefined) ?? [])
          assert.equal(typeof item, "boolean");
      }
      // The seeds are chosen so that converted values do occur (not only omissions or "dontcare").
      assert.ok(
        seen.some((value) => typeof value === "boolean" || typeof value === "number"),
        JSON.stringify(seen),
      );
    });
  });
});
