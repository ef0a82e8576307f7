import { AIMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";

/** A tool whose argument is an enum: a generated model's forced call always validates. */
export const pickTool = tool(async ({ key }) => `value of ${key}`, {
  name: "pick",
  description: "Reads a stored value.",
  schema: z.object({ key: z.enum(["alpha", "beta"]) }),
});

/**
 * A scripted turn whose first tool round is refused (arguments that fail add's schema, and a
 * tool that does not exist) and whose second round fixes the call: 2 invalid, 1 repaired valid.
 */
export function repairingModel(): ScriptedChatModel {
  return new ScriptedChatModel(
    stepScript({
      route: [{ route: "tools", reason: "arithmetic" }],
      agent: [
        callTools({ name: "add", args: { a: "two", b: 3 } }, { name: "subtract", args: {} }),
        callTools({ name: "add", args: { a: 2, b: 3 } }),
        new AIMessage("2 + 3 = 5"),
      ],
      validate: [{ grounded: true, complete: true, critique: "" }],
    }),
  );
}
