import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { AIMessage, isAIMessage, isToolMessage, type ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { Command } from "@langchain/langgraph";
import { z } from "zod";
import {
  type ApprovalRequest,
  createAgentGraph,
  openCheckpointer,
  summarizeRun,
} from "../../src/graph/index.js";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";
import { defineTool } from "../../src/tools/index.js";
import { addTool, ask, pass, threadConfig } from "../helpers/graph-fixtures.js";

/** A tool with a side effect: every call it really makes is recorded. */
function mailer() {
  const sent: Array<{ to: string; body: string }> = [];
  const send = defineTool({
    name: "send_mail",
    description: "Sends an e-mail.",
    schema: z.object({ to: z.string().email(), body: z.string() }),
    needsApproval: true,
    func: async (args) => {
      sent.push(args);
      return `sent to ${args.to}`;
    },
  });
  return { send, sent };
}

/** The model sends a mail and adds in one batch, then answers with what it saw. */
function mailingModel() {
  return new ScriptedChatModel(
    stepScript({
      route: [{ route: "tools", reason: "mail" }],
      agent: [
        callTools(
          { name: "send_mail", args: { to: "a@example.com", body: "hi" } },
          { name: "add", args: { a: 2, b: 3 } },
        ),
        (call) =>
          new AIMessage(
            call.messages
              .filter(isToolMessage)
              .map((m) => `${m.status}: ${m.content}`)
              .join(" | "),
          ),
      ],
      validate: [pass],
    }),
  );
}

type Interrupted = { __interrupt__?: Array<{ id?: string; value: ApprovalRequest }> };

describe("approval before tools act", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "hearth-approval-"));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("pauses before any call of the batch runs, showing the calls that need approval", async () => {
    const { send, sent } = mailer();
    let added = 0;
    const counted = tool(
      async ({ a, b }) => {
        added += 1;
        return String(a + b);
      },
      { name: "add", description: "Adds.", schema: z.object({ a: z.number(), b: z.number() }) },
    );
    const graph = createAgentGraph({ model: mailingModel(), tools: [send, counted] });
    const config = threadConfig("pause");
    const paused = (await graph.invoke(ask("mail and add"), config)) as Interrupted;
    const request = paused.__interrupt__?.[0]?.value;
    assert.ok(request, "the run returned an interrupt");
    assert.equal(request.actionRequests.length, 1);
    const [action] = request.actionRequests;
    assert.equal(action.name, "send_mail");
    assert.deepEqual(action.args, { to: "a@example.com", body: "hi" });
    assert.match(action.id, /^call_/);
    assert.deepEqual(request.reviewConfigs, [
      { actionName: "send_mail", allowedDecisions: ["approve", "edit", "reject"] },
    ]);
    assert.deepEqual(sent, []);
    assert.equal(added, 0);
    // The pause is in the thread's state, where Studio and any app find it.
    const snapshot = await graph.getState(config);
    assert.deepEqual(snapshot.next, ["tools"]);
    assert.deepEqual(snapshot.tasks[0].interrupts[0].value, request);

    const done = await graph.invoke(
      new Command({ resume: { decisions: [{ type: "approve" }] } }),
      config,
    );
    assert.deepEqual(sent, [{ to: "a@example.com", body: "hi" }]);
    assert.equal(added, 1);
    assert.equal(summarizeRun(done).answer, "success: sent to a@example.com | success: 5");
  });

  it("sends a rejection back to the model as a tool error and still runs the calls that need none", async () => {
    const { send, sent } = mailer();
    const graph = createAgentGraph({ model: mailingModel(), tools: [send, addTool] });
    const config = threadConfig("reject");
    await graph.invoke(ask("mail and add"), config);
    const done = await graph.invoke(
      new Command({ resume: { decisions: [{ type: "reject", message: "not to strangers" }] } }),
      config,
    );
    assert.deepEqual(sent, []);
    const results = done.messages.filter(isToolMessage) as ToolMessage[];
    assert.deepEqual(
      results.map((m) => [m.name, m.status]),
      [
        ["send_mail", "error"],
        ["add", "success"],
      ],
    );
    assert.match(String(results[0].content), /rejected this call.*Reason: not to strangers/);
    assert.match(summarizeRun(done).answer, /^error: Error: the user rejected .* \| success: 5$/);
  });

  it("runs an edited call with the new arguments, and the thread keeps the call as run", async () => {
    const { send, sent } = mailer();
    const graph = createAgentGraph({ model: mailingModel(), tools: [send, addTool] });
    const config = threadConfig("edit");
    await graph.invoke(ask("mail and add"), config);
    const edited = { to: "b@example.com", body: "hello" };
    const done = await graph.invoke(
      new Command({
        resume: {
          decisions: [{ type: "edit", editedAction: { name: "send_mail", args: edited } }],
        },
      }),
      config,
    );
    assert.deepEqual(sent, [edited]);
    const proposals = done.messages.filter(
      (m) => isAIMessage(m) && (m.tool_calls?.length ?? 0) > 0,
    ) as AIMessage[];
    assert.equal(proposals.length, 1);
    assert.deepEqual(proposals[0].tool_calls?.[0].args, edited);
  });

  it("checks edited arguments against the schema again; a bad resume leaves the pause to answer again", async () => {
    const { send, sent } = mailer();
    const graph = createAgentGraph({ model: mailingModel(), tools: [send, addTool] });
    const config = threadConfig("bad-edit");
    await graph.invoke(ask("mail and add"), config);
    const bad = { type: "edit", editedAction: { name: "send_mail", args: { to: "nobody" } } };
    await assert.rejects(
      graph.invoke(new Command({ resume: { decisions: [bad] } }), config),
      /^Error: The approval answer was not used \(decisions.0.editedAction.args: edited arguments for call call_\d+: Invalid arguments for tool "send_mail": to: Invalid email address/,
    );
    await assert.rejects(
      graph.invoke(new Command({ resume: { decisions: [] } }), config),
      /expected 1 decision\(s\), one per action request in order; got 0/,
    );
    assert.deepEqual(sent, []);
    const snapshot = await graph.getState(config);
    assert.equal(snapshot.tasks[0].interrupts.length, 1);
    await graph.invoke(new Command({ resume: { decisions: [{ type: "approve" }] } }), config);
    assert.equal(sent.length, 1);
  });

  it("asks for calls chosen by approveTools (names or a function)", async () => {
    const byName = createAgentGraph({
      model: mailingModel(),
      tools: [mailer().send, addTool],
      approveTools: ["add"],
    });
    const named = (await byName.invoke(ask("x"), threadConfig("by-name"))) as Interrupted;
    assert.deepEqual(
      named.__interrupt__?.[0].value.actionRequests.map((a) => a.name),
      ["send_mail", "add"],
    );
    const byRule = createAgentGraph({
      model: mailingModel(),
      tools: [mailer().send, addTool],
      approveTools: (call) => call.name === "add" && Number(call.args.a) > 1,
    });
    const ruled = (await byRule.invoke(ask("x"), threadConfig("by-rule"))) as Interrupted;
    assert.deepEqual(
      ruled.__interrupt__?.[0].value.actionRequests.map((a) => a.name),
      ["send_mail", "add"],
    );
    assert.throws(
      () => createAgentGraph({ model: mailingModel(), tools: [addTool], approveTools: ["rm"] }),
      /approveTools names "rm", which is not a tool of this graph; tools: add\./,
    );
  });

  it("says that approval needs a checkpointer when the graph has none", async () => {
    const graph = createAgentGraph({
      model: mailingModel(),
      tools: [mailer().send, addTool],
      checkpointer: false,
    });
    await assert.rejects(
      graph.invoke(ask("x")),
      /Tool calls to "send_mail" need approval, .* that needs a checkpointer\./,
    );
  });

  it("pauses and resumes through the SQLite checkpointer, from a new graph as another process would", async () => {
    const file = path.join(folder, "threads.sqlite");
    const first = mailer();
    const before = createAgentGraph({
      model: mailingModel(),
      tools: [first.send, addTool],
      checkpointer: await openCheckpointer(file),
    });
    const config = threadConfig("sqlite");
    const paused = (await before.invoke(ask("mail and add"), config)) as Interrupted;
    assert.equal(paused.__interrupt__?.[0].value.actionRequests[0].name, "send_mail");

    const second = mailer();
    const later = createAgentGraph({
      model: mailingModel(),
      tools: [second.send, addTool],
      checkpointer: await openCheckpointer(file),
    });
    assert.equal((await later.getState(config)).tasks[0].interrupts.length, 1);
    await later.invoke(new Command({ resume: { decisions: [{ type: "approve" }] } }), config);
    assert.deepEqual(first.sent, []);
    assert.deepEqual(second.sent, [{ to: "a@example.com", body: "hi" }]);
  });
});
