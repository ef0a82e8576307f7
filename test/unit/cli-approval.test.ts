import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { approvalChoice } from "../../src/app/approval-choice.js";
import { ApprovalRefusedError, askApproval } from "../../src/cli/approval-prompt.js";
import type { ApprovalRequest } from "../../src/graph/index.js";

const request: ApprovalRequest = {
  actionRequests: [
    { id: "call_1", name: "send_mail", args: { to: "a@example.com" }, description: "" },
    { id: "call_2", name: "delete", args: { path: "/tmp/x" }, description: "" },
  ],
  reviewConfigs: [],
};

function terminal(answers: string, isTTY = true) {
  const input = Object.assign(new PassThrough(), { isTTY });
  const output = new PassThrough();
  let shown = "";
  output.on("data", (chunk) => {
    shown += String(chunk);
  });
  input.end(answers);
  return { input, output, shown: () => shown };
}

describe("hearth ask: approving tool calls at the terminal", () => {
  it("asks y/n for each call, showing name, arguments and id; n asks for a reason for the model", async () => {
    const io = terminal("y\nn\nnot that folder\n");
    const decisions = await askApproval(request, { yes: false, ...io });
    assert.deepEqual(decisions, [
      { type: "approve" },
      { type: "reject", message: "not that folder" },
    ]);
    assert.match(io.shown(), /Run send_mail \{"to":"a@example.com"\} \(call call_1\)\? \[y\/N\] /);
    assert.match(io.shown(), /Run delete \{"path":"\/tmp\/x"\} \(call call_2\)\? \[y\/N\] /);
  });

  it("takes an empty answer as no", async () => {
    const io = terminal("\n\ny\n");
    const decisions = await askApproval(request, { yes: false, ...io });
    assert.deepEqual(decisions, [{ type: "reject" }, { type: "approve" }]);
  });

  it("refuses without a terminal, naming the calls and --yes", async () => {
    const io = terminal("y\ny\n", false);
    await assert.rejects(
      askApproval(request, { yes: false, ...io }),
      (error: Error) =>
        error instanceof ApprovalRefusedError &&
        /wants to run send_mail \{"to":"a@example.com"\} \(call call_1\), delete .*no terminal to ask on\. Nothing ran\. .* pass --yes/.test(
          error.message,
        ),
    );
  });

  it("approves every call with --yes, saying so", async () => {
    const io = terminal("", false);
    const decisions = await askApproval(request, { yes: true, ...io });
    assert.deepEqual(decisions, [{ type: "approve" }, { type: "approve" }]);
    assert.match(io.shown(), /approved \(--yes\): send_mail/);
  });

  it("reads --approve as tool names or all, and names the tools on a mistake", () => {
    const names = ["calculator", "current_time"];
    const approveOption = (value: string | undefined) => approvalChoice("--approve", value, names);
    assert.deepEqual(approveOption("calculator, current_time"), ["calculator", "current_time"]);
    assert.equal(approveOption(undefined), undefined);
    const all = approveOption("all");
    assert.equal(typeof all === "function" && all({ name: "x", args: {} }), true);
    assert.throws(
      () => approveOption("calculater"),
      /--approve takes tool names separated by commas, or "all"; tools here: calculator, current_time \(got "calculater"\)/,
    );
  });
});
